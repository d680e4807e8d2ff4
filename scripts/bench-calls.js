#!/usr/bin/env node
// bench:calls — N concurrent simulated calls running a realistic IVR on the virtual clock, against
// bare XState actors doing the same number of transitions in the same run; then heap per call
// while 100,000 calls sit parked in a long Delay, against bare parked XState actors.
// Prints one JSON line per figure. Run with --expose-gc (npm run bench:calls does).
// Options: --sizes=1000,10000,100000 --parked=100000 --warmup=3000
import { PerformanceObserver } from 'node:perf_hooks';
import { createActor, fromPromise, setup } from 'xstate';
import { CallControl } from '../dist/calls/call-control.js';
import { VirtualClock } from '../dist/calls/clock.js';
import { SimSwitch } from '../dist/calls/sim/sim-switch.js';
import { Engine } from '../dist/engine/engine.js';
import { compileDocument } from '../dist/language/index.js';
import { LocalScriptSource } from '../dist/webhooks/local-source.js';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const SIZES = (args.get('sizes') ?? '1000,10000,100000').split(',').map(Number);
const PARKED = Number(args.get('parked') ?? 100000);

const print = (figure) => console.log(JSON.stringify({ bench: 'calls', ...figure }));

// Main-thread GC pauses (PerformanceObserver 'gc' entries), reported with each run as `gcMs`.
let gcPauseMs = 0;
const gcObserver = new PerformanceObserver((list) => { for (const entry of list.getEntries()) gcPauseMs += entry.duration; });
gcObserver.observe({ entryTypes: ['gc'] });
const gcPauses = () => { for (const entry of gcObserver.takeRecords()) gcPauseMs += entry.duration; return gcPauseMs; };
const gc = () => { if (global.gc) { global.gc(); global.gc(); } };

const IVR = compileDocument(`<Response>
  <Speak>Welcome to Example Corp.</Speak>
  <Var ID="greeting">Thanks for calling</Var>
  <UserInput Timeout="5" Repeat="true">
    <InitialCommands><Speak>For sales press 1. For support press 2.</Speak></InitialCommands>
    <Inputs>
      <Input Key="1"><Speak>$greeting sales.</Speak><Play>hold.wav</Play></Input>
      <Input Key="2"><Speak>$greeting support.</Speak><Delay>2</Delay></Input>
    </Inputs>
  </UserInput>
  <Speak>Goodbye.</Speak>
  <Hangup/>
</Response>`).program;
const PARK = compileDocument('<Response><Delay>3600</Delay></Response>').program;
if (!IVR || !PARK) throw new Error('benchmark documents do not compile');

function world() {
  const clock = new VirtualClock();
  const sim = new SimSwitch({ clock, defaultAudioSeconds: 3 });
  const calls = new CallControl(sim, { clock });
  const source = new LocalScriptSource({ routes: {} });
  const engine = new Engine({ calls, source });
  return { clock, sim, calls, engine };
}

/** Runs N IVR calls at once; returns wall time and the number of verbs executed. */
async function runCalls(n) {
  const { sim, calls, engine } = world();
  let verbs = 0;
  engine.events.subscribe((e) => { if (e.type === 'verb.started') verbs++; });
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const gcStart = gcPauses();
  const done = [];
  for (let i = 0; i < n; i++) {
    const leg = sim.placeInboundCall({ from: `+1555${String(i).padStart(7, '0')}`, to: '9000', behaviour: { presses: [{ digits: i % 2 ? '1' : '2' }] } });
    done.push(engine.start({ channel: calls.channel(leg), start: { program: IVR } }).done);
  }
  const results = await Promise.all(done);
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const gcMs = gcPauses() - gcStart;
  const bad = results.filter((r) => r.cause !== 'normal').length;
  if (bad) throw new Error(`${bad} calls did not end normally`);
  calls.close();
  return { ms, cpuMs, gcMs, verbs };
}

/** The same number of transitions through bare XState actors (one actor per "call", one event per "verb"). */
const bareMachine = setup({}).createMachine({
  id: 'bare', context: { n: 0 }, initial: 'a',
  states: { a: { on: { NEXT: 'b' } }, b: { on: { NEXT: 'a' } } },
});
function runBare(n, transitionsPerActor) {
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const actor = createActor(bareMachine).start();
    for (let t = 0; t < transitionsPerActor; t++) actor.send({ type: 'NEXT' });
    actor.stop();
  }
  const cpu = process.cpuUsage(cpuStart);
  return (cpu.user + cpu.system) / 1000;
}

async function parked(n) {
  gc();
  const before = process.memoryUsage().heapUsed;
  const { clock, sim, calls, engine } = world();
  let parkedCount = 0;
  engine.events.subscribe((e) => { if (e.type === 'verb.started' && e.verb === 'Delay') parkedCount++; });
  const handles = [];
  for (let i = 0; i < n; i++) {
    const leg = sim.placeInboundCall({ from: `+1555${String(i).padStart(7, '0')}`, to: '9000' });
    handles.push(engine.start({ channel: calls.channel(leg), start: { program: PARK } }));
  }
  // Let every call reach its Delay; the 3600 s timers keep virtual time from ending them.
  const hold = () => new Promise((resolve) => setImmediate(resolve));
  while (parkedCount < n) await hold();
  const release = clock.hold();
  gc();
  const after = process.memoryUsage().heapUsed;
  const perCall = (after - before) / n;
  release();
  for (const h of handles) h.stop();
  await Promise.all(handles.map((h) => h.done));
  calls.close();
  void sim;
  return perCall;
}

const parkedBareMachine = setup({
  actors: { wait: fromPromise(({ signal }) => new Promise((resolve) => signal.addEventListener('abort', resolve))) },
}).createMachine({ id: 'parked', initial: 'waiting', states: { waiting: { invoke: { src: 'wait' }, after: { 3600000: 'done' } }, done: { type: 'final' } } });

function parkedBare(n) {
  gc();
  const before = process.memoryUsage().heapUsed;
  const actors = [];
  for (let i = 0; i < n; i++) actors.push(createActor(parkedBareMachine).start());
  gc();
  const perActor = (process.memoryUsage().heapUsed - before) / n;
  for (const a of actors) a.stop();
  return perActor;
}

// Warm-up: the figures below are steady-state throughput, so V8 must have optimised the hot code
// first. 200 calls (1,600 verbs) left the 1k-call run mostly measuring the JIT's background
// compiles; 3,000 calls do not. The cold run is printed too, so start-up cost stays visible.
const WARM_UP_CALLS = Number(args.get('warmup') ?? 3000);
{
  const { ms, cpuMs, verbs } = await runCalls(WARM_UP_CALLS);
  print({
    figure: 'warm-up (cold process)', calls: WARM_UP_CALLS, verbs, wallMs: Math.round(ms), cpuMs: Math.round(cpuMs),
    verbsPerSecond: Math.round((verbs / ms) * 1000), verbsPerCpuSecond: Math.round((verbs / cpuMs) * 1000),
  });
}
runBare(WARM_UP_CALLS, 8);
for (const n of SIZES) {
  const { ms, cpuMs, gcMs, verbs } = await runCalls(n);
  const bareCpuMs = runBare(n, Math.round(verbs / n));
  const transitions = Math.round(verbs / n) * n;
  // CPU time is what "per core" means, and it is steadier than wall time on a shared machine.
  const verbsPerCpuSecond = Math.round((verbs / cpuMs) * 1000);
  print({
    figure: 'calls', calls: n, verbs, wallMs: Math.round(ms), cpuMs: Math.round(cpuMs),
    callsPerSecond: Math.round((n / ms) * 1000), verbsPerSecond: Math.round((verbs / ms) * 1000), verbsPerCpuSecond,
    gcMs: Math.round(gcMs),
  });
  print({ figure: 'bare-xstate', actors: n, transitions, cpuMs: Math.round(bareCpuMs), transitionsPerCpuSecond: Math.round((transitions / bareCpuMs) * 1000) });
  print({
    figure: 'ratio', calls: n, engineVerbCostInBareTransitions: Number((cpuMs / verbs / (bareCpuMs / transitions)).toFixed(1)),
    target: 'verbsPerCpuSecond >= 20000', pass: verbsPerCpuSecond >= 20000,
  });
}
const perCall = await parked(PARKED);
const perBare = parkedBare(PARKED);
print({ figure: 'parked-heap', calls: PARKED, bytesPerCall: Math.round(perCall), target: 16384, withinTarget: perCall <= 16384 });
print({ figure: 'parked-heap-bare-xstate', actors: PARKED, bytesPerActor: Math.round(perBare), ratio: Number((perCall / perBare).toFixed(2)) });
