import { FALLBACKS, type CapabilityObserver } from '../graph/capabilities.js';
import type { Logger } from '../logger.js';
import type { GatewayMetrics } from './metrics.js';

/**
 * Says what the capability memory learns: a warning when a query option Graph refused is remembered (with the option,
 * Graph's request id and the fallback in use until the recheck), a line when it works again, and the metrics
 * `graph_capability_refused` and `graph_capability_fallbacks_total`.
 */
export function capabilityObserver(logger: Logger, metrics: GatewayMetrics): CapabilityObserver {
  return {
    changed(capability, refused, { recheckAt, evidence }) {
      metrics.graphCapabilityRefused(capability, refused);
      if (!refused) {
        logger.info('graph capability works again', { capability });
        return;
      }
      logger.warn('graph capability refused', {
        capability,
        option: evidence?.option,
        from: evidence?.from,
        graphRequestId: evidence?.requestId,
        fallback: FALLBACKS[capability],
        recheckAt: recheckAt === undefined ? undefined : new Date(recheckAt).toISOString(),
      });
    },
    fellBack(capability) {
      metrics.graphCapabilityFallback(capability);
    },
  };
}
