/** The six services, in start order, with their default ports and environment prefix. */
export const SERVICES = [
  { name: 'credit', envPrefix: 'ARC_CREDIT', defaultPort: 3001 },
  { name: 'invoicing', envPrefix: 'ARC_INVOICING', defaultPort: 3002 },
  { name: 'payments', envPrefix: 'ARC_PAYMENTS', defaultPort: 3003 },
  { name: 'collections', envPrefix: 'ARC_COLLECTIONS', defaultPort: 3004 },
  { name: 'risk-alert', envPrefix: 'ARC_RISK_ALERT', defaultPort: 3005 },
  { name: 'projections', envPrefix: 'ARC_PROJECTIONS', defaultPort: 3006 },
] as const;

export type ServiceName = (typeof SERVICES)[number]['name'];

export function isServiceName(name: string): name is ServiceName {
  return SERVICES.some((s) => s.name === name);
}
