import { afterEach, describe, expect, it } from 'vitest';
import { harness } from './harness.js';

let h: ReturnType<typeof harness>;
afterEach(async () => {
  await h.dispose();
  expect(h.sim.liveLegs()).toEqual([]);
  expect(h.clock.pendingTimers()).toEqual([]);
});

describe('executor basics', () => {
  it('answers, speaks, waits and hangs up at the end of the document', async () => {
    h = harness();
    const result = await h.inbound({ from: '+15550001', to: '9000' }, '<Response><Speak>Hello there.</Speak><Delay>2</Delay></Response>');
    expect(result.cause).toBe('normal');
    console.log(h.trace().join('\n'));
  });

  it('runs an IVR menu', async () => {
    h = harness();
    const result = await h.inbound(
      { from: '+15550001', to: '9000', behaviour: { presses: [{ digits: '2' }] } },
      `<Response>
        <UserInput Timeout="5">
          <InitialCommands><Speak>For sales press 1, for support press 2.</Speak></InitialCommands>
          <Inputs>
            <Input Key="1"><Speak>Sales.</Speak></Input>
            <Input Key="2"><Speak>Support.</Speak><Hangup/></Input>
          </Inputs>
        </UserInput>
        <Speak>Not reached.</Speak>
      </Response>`,
    );
    console.log(h.trace().join('\n'));
    expect(result.cause).toBe('normal');
  });
});
