/** UserInput (design.md §4): barge-in, digit counts, timeouts, Repeat, rounds, ForwardToUrl, BackKey, nested menus. */
import { afterEach, describe, expect, it } from 'vitest';
import { compile, harness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h.dispose();
});

const STEPS = ['verb.started', 'verb.finished', 'digits.received', 'notification.requested', 'notification.replied', 'error', 'session.ended'];
const texts = () => h.of('verb.started').filter((e) => e.verb === 'Speak').map((e) => e.attributes['Text']);

describe('UserInput collecting digits', () => {
  it('plays InitialCommands while collecting; the first digit interrupts them; the matching Input runs', async () => {
    h = harness();
    await h.inbound(
      { behaviour: { presses: [{ digits: '2' }] } }, // pressed 1 s after collection starts
      `<Response>
        <UserInput>
          <InitialCommands><Speak>For sales press 1, for support press 2.</Speak><Speak>Or wait.</Speak></InitialCommands>
          <Inputs>
            <Input Key="1"><Speak>Sales.</Speak></Input>
            <Input Key="2"><Speak>Support.</Speak></Input>
          </Inputs>
        </UserInput>
        <Speak>After the menu.</Speak>
      </Response>`,
    );
    expect(h.trace([...STEPS, 'media.started', 'media.ended', 'dtmf.received', 'leg.state'])).toEqual([
      '0 in-1 Idle→Ringing',
      '0 in-1 Ringing→Established',
      '0 UserInput',
      '0 Speak',
      '0 in-1 speech For sales press 1, for support press 2.',
      '1 in-1 dtmf 2',
      '1 in-1 speech ended interrupted',
      '1 Speak → interrupted',
      "1 digits '2' complete",
      '1 Speak',
      '1 in-1 speech Support.',
      '1.9 in-1 speech ended completed',
      '1.9 Speak → completed',
      '1.9 UserInput → matched 2',
      '1.9 Speak',
      '1.9 in-1 speech After the menu.',
      '3.6 in-1 speech ended completed',
      '3.6 Speak → completed',
      '3.6 in-1 Established→Released (normal)',
      '3.6 end normal',
    ]);
    expect(h.of('verb.started')[0]!.attributes).toEqual({ Repeat: false, Timeout: 5, Digits: 1 });
  });

  it('Timeout starts when the prompts end; without Repeat the script goes on', async () => {
    h = harness();
    await h.inbound({}, `<Response>
      <UserInput Timeout="3"><InitialCommands><Speak>Press a key.</Speak></InitialCommands>
        <Inputs><Input Key="1"><Speak>One.</Speak></Input></Inputs></UserInput>
      <Beep/></Response>`);
    expect(h.trace(STEPS)).toEqual([
      '0 UserInput', '0 Speak', '1.7 Speak → completed',
      "4.7 digits '' timeout", '4.7 UserInput → timeout',
      '4.7 Beep', '5.2 Beep → completed', '5.2 end normal',
    ]);
  });

  it('Digits collects exactly N digits and sets $DtmfDigits', async () => {
    h = harness();
    await h.inbound({ behaviour: { presses: [{ digits: '123' }] } }, `<Response>
      <UserInput Digits="3"><Inputs><Input Key="123"><Speak>Got $DtmfDigits</Speak></Input></Inputs></UserInput></Response>`);
    expect(h.trace(STEPS)).toEqual([
      '0 UserInput', "2 digits '123' complete", '2 Speak', '2.8 Speak → completed', '2.8 UserInput → matched 123', '2.8 end normal',
    ]);
    expect(texts()).toEqual(['Got 123']);
  });

  it('the timeout restarts on each digit; an entry shorter than Digits counts as no entry', async () => {
    h = harness();
    await h.inbound({ behaviour: { presses: [{ digits: '12', gapSeconds: 1.5 }] } }, `<Response>
      <UserInput Digits="3" Timeout="2"><Inputs><Input Key="123"><Speak>x</Speak></Input></Inputs></UserInput><Speak>$DtmfDigits</Speak></Response>`);
    // 1 at 1 s, 2 at 2.5 s, then 2 s of silence.
    expect(h.trace(STEPS)).toEqual([
      '0 UserInput', "4.5 digits '12' timeout", '4.5 UserInput → incomplete 12',
      // $DtmfDigits is only set by a complete entry.
      "4.5 error invalid-attribute-value: Text of <Speak> must not be empty; '$DtmfDigits' expanded to ''.",
      '4.5 end normal',
    ]);
  });

  it('MinDigits/MaxDigits: # ends the entry early', async () => {
    h = harness();
    await h.inbound({ behaviour: { presses: [{ digits: '1234#' }] } }, `<Response>
      <UserInput MinDigits="2" MaxDigits="6"><Inputs><Input Key="1234"><Speak>Ok.</Speak></Input></Inputs></UserInput></Response>`);
    expect(h.trace(STEPS)).toEqual([
      '0 UserInput', "3 digits '1234' terminator", '3 Speak', '3.9 Speak → completed', '3.9 UserInput → matched 1234', '3.9 end normal',
    ]);
  });

  it('MaxDigits ends the entry when reached; # before MinDigits is no entry', async () => {
    h = harness();
    await h.inbound({ behaviour: { presses: [{ digits: '123' }, { digits: '1#' }] } }, `<Response>
      <UserInput MinDigits="2" MaxDigits="3"/>
      <UserInput MinDigits="2" MaxDigits="3"/></Response>`);
    expect(h.trace(STEPS)).toEqual([
      '0 UserInput', "2 digits '123' complete", '2 UserInput → no match 123',
      '2 UserInput', "3.5 digits '1' terminator", '3.5 UserInput → incomplete 1',
      '3.5 end normal',
    ]);
  });
});

describe('UserInput rounds', () => {
  it('Repeat replays the prompts after a timeout', async () => {
    h = harness();
    await h.inbound({ behaviour: { presses: [{ digits: '5', afterAnswerSeconds: 4 }] } }, `<Response>
      <UserInput Repeat="true" Timeout="2"><InitialCommands><Speak>Hello.</Speak></InitialCommands>
        <Inputs><Input Key="5"><Beep/></Input></Inputs></UserInput></Response>`);
    expect(h.trace(STEPS)).toEqual([
      '0 UserInput',
      '0 Speak', '0.9 Speak → completed', "2.9 digits '' timeout",
      '2.9 Speak', '3.8 Speak → completed', "4 digits '5' complete",
      '4 Beep', '4.5 Beep → completed', '4.5 UserInput → matched 5',
      '4.5 end normal',
    ]);
  });

  it('Repeat replays after an entry that matches nothing; without it the script goes on', async () => {
    h = harness();
    await h.inbound({ behaviour: { presses: [{ digits: '9' }, { digits: '1' }, { digits: '7' }] } }, `<Response>
      <UserInput Repeat="true"><Inputs><Input Key="1"><Beep/></Input></Inputs></UserInput>
      <UserInput><Inputs><Input Key="1"><Beep/></Input></Inputs></UserInput>
      <Speak>End.</Speak></Response>`);
    expect(h.trace(STEPS)).toEqual([
      '0 UserInput', "1 digits '9' complete", "2 digits '1' complete", '2 Beep', '2.5 Beep → completed', '2.5 UserInput → matched 1',
      '2.5 UserInput', "3.5 digits '7' complete", '3.5 UserInput → no match 7',
      '3.5 Speak', '4.4 Speak → completed', '4.4 end normal',
    ]);
  });

  it('at most 10 rounds, then the script goes on', async () => {
    h = harness();
    await h.inbound({}, `<Response>
      <UserInput Repeat="true" Timeout="1"><InitialCommands><Speak>Hi.</Speak></InitialCommands></UserInput>
      <Beep/></Response>`);
    const lines = h.trace(['verb.started', 'verb.finished', 'digits.received']);
    expect(lines.filter((l) => l.endsWith(' Speak'))).toHaveLength(10);
    expect(lines.slice(-6)).toEqual([
      '17.1 Speak', '18 Speak → completed', "19 digits '' timeout", '19 UserInput → max-rounds', '19 Beep', '19.5 Beep → completed',
    ]);
  });
});

describe('UserInput ForwardToUrl', () => {
  const program = (url: string) => compile(`<Response>
    <UserInput Digits="2" ForwardToUrl="${url}"><Inputs><Input Key="11"><Speak>eleven</Speak></Input></Inputs></UserInput>
    <Speak>After.</Speak></Response>`, 'api-extension', { url: 'http://app.example/ivr.xml' });

  it('an entry that matches no Input goes to ForwardToUrl as DtmfEntered; a reply with verbs replaces the rest', async () => {
    h = harness({ routes: { 'http://app.example/pin': '<Response><Speak>PIN $DtmfDigits.</Speak></Response>' } });
    await h.inbound({ from: '+15550001', to: '9000', behaviour: { presses: [{ digits: '42' }] } }, { program: program('pin'), url: 'http://app.example/ivr.xml' });
    expect(h.trace([...STEPS, 'document.loaded'])).toEqual([
      '0 document http://app.example/ivr.xml',
      '0 UserInput', "1.5 digits '42' complete",
      '1.5 → DtmfEntered http://app.example/pin', '1.5 ← DtmfEntered document', '1.5 UserInput → forwarded',
      '1.5 document http://app.example/pin',
      '1.5 Speak', '2.8 Speak → completed', '2.8 end normal',
    ]);
    expect(h.source.deliveries).toEqual([{
      kind: 'fetch', name: 'DtmfEntered', url: 'http://app.example/pin', route: 'http://app.example/pin',
      params: {
        NotificationName: 'DtmfEntered', CallId: 'in-1', Caller: '+15550001', Callee: '9000', ApiExtension: '9000',
        CallState: 'InCall', Direction: 'Incoming', Timestamp: '1970-01-01T00:00:01.500Z', DtmfDigits: '42',
      },
    }]);
    expect(texts()).toEqual(['PIN 42.']);
  });

  it('an empty reply continues after the UserInput; a matching entry is not forwarded', async () => {
    h = harness({ routes: { 'http://app.example/pin': '<Response/>' } });
    await h.inbound({ behaviour: { presses: [{ digits: '42' }] } }, { program: program('pin'), url: 'http://app.example/ivr.xml' });
    expect(h.trace(STEPS)).toEqual([
      '0 UserInput', "1.5 digits '42' complete", '1.5 → DtmfEntered http://app.example/pin', '1.5 ← DtmfEntered empty', '1.5 UserInput → forwarded',
      '1.5 Speak', '2.4 Speak → completed', '2.4 end normal',
    ]);
  });

  it('the vendor spelling enteredUrl works the same way', async () => {
    h = harness({ routes: { 'http://app.example/pin': '<Response><Beep/></Response>' } });
    await h.inbound({ behaviour: { presses: [{ digits: '7' }] } }, '<Response><UserInput enteredUrl="http://app.example/pin"/><Speak>x</Speak></Response>');
    expect(h.trace(['notification.requested', 'verb.finished'])).toEqual([
      '1 → DtmfEntered http://app.example/pin', '1 UserInput → forwarded', '1.5 Beep → completed',
    ]);
  });
});

describe('UserInput menus', () => {
  it('BackKey in a nested menu returns to the enclosing UserInput, which replays', async () => {
    h = harness();
    await h.inbound({ behaviour: { presses: [{ digits: '1' }, { digits: '*' }, { digits: '2' }] } }, `<Response>
      <UserInput><InitialCommands><Speak>Main menu.</Speak></InitialCommands>
        <Inputs>
          <Input Key="1">
            <UserInput BackKey="*"><InitialCommands><Speak>Sub menu.</Speak></InitialCommands>
              <Inputs><Input Key="1"><Speak>Deep.</Speak></Input></Inputs></UserInput>
            <Speak>Not after back.</Speak>
          </Input>
          <Input Key="2"><Speak>Two.</Speak></Input>
        </Inputs>
      </UserInput>
      <Beep/></Response>`);
    expect(h.trace(STEPS)).toEqual([
      '0 UserInput',
      '0 Speak', '1 Speak → interrupted', "1 digits '1' complete",
      '1 UserInput',
      '1 Speak', '2 Speak → interrupted', "2 digits '*' complete", '2 UserInput → back',
      '2 Speak', '3 Speak → interrupted', "3 digits '2' complete",
      '3 Speak', '3.9 Speak → completed', '3.9 UserInput → matched 2',
      '3.9 Beep', '4.4 Beep → completed', '4.4 end normal',
    ]);
  });

  it('BackKey without an enclosing UserInput goes on after the UserInput', async () => {
    h = harness();
    await h.inbound({ behaviour: { presses: [{ digits: '*' }] } }, `<Response>
      <UserInput BackKey="*"><Inputs><Input Key="1"><Speak>One.</Speak></Input></Inputs></UserInput>
      <Beep/></Response>`);
    expect(h.trace(STEPS)).toEqual([
      '0 UserInput', "1 digits '*' complete", '1 UserInput → back', '1 Beep', '1.5 Beep → completed', '1.5 end normal',
    ]);
  });

  it('a GoTo inside an Input replaces the document', async () => {
    h = harness({ routes: { 'http://app.example/sales': '<Response><Speak>Sales.</Speak></Response>' } });
    await h.inbound({ behaviour: { presses: [{ digits: '1' }] } }, `<Response>
      <UserInput><Inputs><Input Key="1"><GoTo>http://app.example/sales</GoTo></Input></Inputs></UserInput>
      <Beep/></Response>`);
    expect(h.trace(STEPS)).toEqual([
      '0 UserInput', "1 digits '1' complete", '1 GoTo', '1 → GoTo http://app.example/sales', '1 ← GoTo document', '1 GoTo → document',
      '1 UserInput → matched 1', '1 Speak', '1.9 Speak → completed', '1.9 end normal',
    ]);
  });

  it('Input keys may use variables', async () => {
    h = harness();
    await h.inbound({ behaviour: { presses: [{ digits: '42' }] } }, `<Response><Var ID="pin">42</Var>
      <UserInput Digits="2"><Inputs><Input Key="$pin"><Speak>Right.</Speak></Input></Inputs></UserInput></Response>`);
    expect(h.trace(['verb.finished']).at(-1)).toBe('2.4 UserInput → matched 42');
  });

  it('a prompt that ends the script (Hangup in InitialCommands) ends it', async () => {
    h = harness();
    const program = compile(`<Response><UserInput><InitialCommands><Speak>Bye.</Speak><Hangup/></InitialCommands></UserInput><Beep/></Response>`);
    const result = await h.inbound({}, { program });
    expect(result.cause).toBe('normal');
    expect(h.trace(STEPS)).toEqual([
      '0 UserInput', '0 Speak', '0.9 Speak → completed', '0.9 Hangup', '0.9 Hangup → hangup', '0.9 UserInput → prompt ended the script', '0.9 end normal',
    ]);
  });
});
