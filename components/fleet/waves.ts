/** Gateways grouped by wave, lowest first: wave 0 is the canary the rest of the fleet waits for. */
export function fleetWaves<T extends { wave: number }>(gateways: readonly T[]): T[][] {
  const byWave = new Map<number, T[]>();
  for (const gateway of gateways) byWave.set(gateway.wave, [...(byWave.get(gateway.wave) ?? []), gateway]);
  return [...byWave.keys()].sort((a, b) => a - b).map((wave) => byWave.get(wave)!);
}
