// The devices behind the keys (docs/method.md 2.9, Identity): how many each person has, each one's
// channel, which web browsers cap cookies (ITP), and which persons also use another household's device.
import { CHANNELS } from '../log/eventLog.ts';
import type { Rng } from '../util/rng.ts';
import type { IdentitySpec } from '../scenario/worldSpec.ts';

export const APP = CHANNELS.indexOf('app');
export const MWEB = CHANNELS.indexOf('mweb');
export const DESKTOP = CHANNELS.indexOf('desktop');

export interface Devices {
  readonly count: number;
  /** device -> owning person */
  readonly owner: Int32Array;
  /** device -> channel index into CHANNELS */
  readonly channel: Uint8Array;
  /** device -> 1 when it is a web browser whose cookies are capped at itpCapMs */
  readonly itp: Uint8Array;
  /** person p owns devices personStart[p] .. personStart[p+1]-1 */
  readonly personStart: Int32Array;
  /** person -> a device of another person they also use, or -1 */
  readonly sharedDevice: Int32Array;
}

/**
 * Draw every person's devices: count ~ 1 + categorical(spec.devices), channel ~ channelMix, ITP flag
 * for web devices with probability itpShare; then with probability sharedDevices a person also gets one
 * uniformly chosen device of another uniformly chosen person.
 *
 * @example
 * const devices = drawDevices(DEFAULT_WORLD.identity, 1000, Rng.fromSeed(7).fork('identity').fork('devices'));
 * devices.personStart[1] - devices.personStart[0]; // person 0's device count
 */
export function drawDevices(spec: IdentitySpec, persons: number, rng: Rng): Devices {
  const personStart = new Int32Array(persons + 1);
  const counts = new Int32Array(persons);
  for (let p = 0; p < persons; p++) {
    counts[p] = 1 + rng.categorical(spec.devices);
    personStart[p + 1] = personStart[p] + counts[p];
  }
  const count = personStart[persons];
  const owner = new Int32Array(count);
  const channel = new Uint8Array(count);
  const itp = new Uint8Array(count);
  const mix = [0, 0, 0];
  mix[APP] = spec.channelMix.app;
  mix[MWEB] = spec.channelMix.mweb;
  mix[DESKTOP] = spec.channelMix.desktop;
  for (let p = 0; p < persons; p++) {
    for (let dev = personStart[p]; dev < personStart[p + 1]; dev++) {
      owner[dev] = p;
      channel[dev] = rng.categorical(mix);
      // Always draw, so the ITP share never shifts the channels of later devices.
      const capped = rng.float() < spec.itpShare;
      itp[dev] = channel[dev] !== APP && capped ? 1 : 0;
    }
  }
  const sharedDevice = new Int32Array(persons).fill(-1);
  for (let p = 0; p < persons; p++) {
    const shares = rng.float() < spec.sharedDevices;
    const other = rng.int(Math.max(1, persons - 1));
    const which = rng.float();
    if (!shares || persons < 2) continue;
    const q = other >= p ? other + 1 : other;
    sharedDevice[p] = personStart[q] + Math.floor(which * counts[q]);
  }
  return { count, owner, channel, itp, personStart, sharedDevice };
}
