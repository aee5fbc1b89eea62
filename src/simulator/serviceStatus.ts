import type { Account } from './account.js';
import type { ServiceRec } from './model.js';

/** Current service status, from its open incidents (PagerDuty: critical if a high-urgency one is open). */
export function serviceStatus(account: Account, s: ServiceRec): ServiceRec['status'] {
  if (s.status === 'disabled' || s.status === 'maintenance') return s.status;
  let status: ServiceRec['status'] = 'active';
  // Lazy mode has no pending set: its open incidents are computed (once) instead.
  for (const inc of account.lazy?.openIncidents() ?? account.pending) {
    if (inc.serviceId !== s.id || inc.revealed === 0 || inc.state.status === 'resolved') continue;
    if (inc.state.urgency === 'high') return 'critical';
    status = 'warning';
  }
  return status;
}
