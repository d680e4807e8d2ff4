/**
 * The Prometheus metrics of `ozml serve` (docs/serve.md lists them), on a registry of its own so
 * two servers in one process (tests) do not share counters.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { IntervalHistogram } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RuntimeEvent } from './local-runtime.js';

export class ServeMetrics {
  readonly registry = new Registry();
  readonly activeCalls: Gauge;
  readonly calls: Counter<'outcome'>;
  readonly verbs: Counter<'verb'>;
  readonly webhookSeconds: Histogram<'notification'>;
  readonly webhookErrors: Counter<'code'>;
  readonly apiRequests: Counter<'command' | 'code'>;
  readonly #loopDelay: IntervalHistogram;
  /** Session and notification → clock ms the notification was requested (webhook latency). */
  readonly #pending = new Map<string, number>();

  constructor(liveCalls: () => number) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.activeCalls = new Gauge({ name: 'ozml_active_calls', help: 'Calls up now (inbound and outbound).', registers, collect() { this.set(liveCalls()); } });
    this.calls = new Counter({ name: 'ozml_calls_total', help: 'Calls ended, by outcome (the release cause of the call).', labelNames: ['outcome'], registers });
    this.verbs = new Counter({ name: 'ozml_verbs_executed_total', help: 'OzML verbs executed, by verb.', labelNames: ['verb'], registers });
    this.webhookSeconds = new Histogram({
      name: 'ozml_webhook_duration_seconds', help: 'Time from a notification to its OzML reply, by notification.',
      labelNames: ['notification'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15], registers,
    });
    this.webhookErrors = new Counter({ name: 'ozml_webhook_errors_total', help: 'Failed webhook deliveries, by error code (docs/webhooks.md).', labelNames: ['code'], registers });
    this.apiRequests = new Counter({ name: 'ozml_api_requests_total', help: 'Ozeki API requests, by command and result code.', labelNames: ['command', 'code'], registers });
    this.#loopDelay = monitorEventLoopDelay({ resolution: 10 });
    this.#loopDelay.enable();
    const loop = this.#loopDelay;
    new Gauge({
      name: 'ozml_event_loop_lag_p99_seconds', help: 'p99 event-loop delay since the previous scrape.', registers,
      collect() {
        this.set(loop.percentile(99) / 1e9);
        loop.reset();
      },
    });
  }

  observe(event: RuntimeEvent): void {
    switch (event.kind) {
      case 'call': {
        const e = event.event;
        if (e.type === 'leg.state' && e.state === 'Released' && e.callType !== 'Consult') this.calls.inc({ outcome: e.cause ?? 'unknown' });
        return;
      }
      case 'session': {
        const e = event.event;
        if (e.type === 'verb.started') this.verbs.inc({ verb: e.verb });
        else if (e.type === 'notification.requested') this.#pending.set(`${event.app}/${e.sessionId}/${e.name}`, e.time);
        else if (e.type === 'notification.replied') {
          const key = `${event.app}/${e.sessionId}/${e.name}`;
          const since = this.#pending.get(key);
          if (since !== undefined) {
            this.#pending.delete(key);
            this.webhookSeconds.observe({ notification: e.name }, (e.time - since) / 1000);
          }
        } else if (e.type === 'session.ended') {
          // Fire-and-forget notifications have no reply: forget what the session left.
          for (const key of this.#pending.keys()) if (key.startsWith(`${event.app}/${e.sessionId}/`)) this.#pending.delete(key);
        }
        return;
      }
      case 'webhook':
        if (event.event.type === 'failure') this.webhookErrors.inc({ code: String(event.event.code) });
        return;
      default:
        return;
    }
  }

  close(): void {
    this.#loopDelay.disable();
  }
}
