/**
 * Who is who in a run: the scenario's own leg is `caller` (or `callee` on calls the platform
 * placed), other legs are named by the number they dialled or came from (service legs by the
 * service's name). Fed event by event.
 */
import type { DryRunEvent } from '../events.js';

export class Parties {
  #mainLeg: string | null = null;
  #mainLabel = 'caller';
  readonly #labels = new Map<string, string>();

  observe(event: DryRunEvent): void {
    switch (event.type) {
      case 'run.started':
        this.#mainLeg = event.leg;
        this.#mainLabel = event.direction === 'outbound' ? 'callee' : 'caller';
        break;
      case 'leg.created': {
        const label = event.legId === this.#mainLeg ? this.#mainLabel : event.direction === 'inbound' ? event.from : event.to.replace(/^service:/, '');
        this.#labels.set(event.legId, label);
        break;
      }
      default:
        break;
    }
  }

  label(legId: string): string {
    return this.#labels.get(legId) ?? legId;
  }
}
