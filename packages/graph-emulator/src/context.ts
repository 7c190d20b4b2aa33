import type { Clock } from './clock.js';
import type { EmulatorState } from './model/state.js';
import type { Authority } from './authority/authority.js';
import type { EmulatorProfile } from './http/strict-query-options.js';

/** What route handlers work with. `state` is replaced on reset and seed, so always read it through the context. */
export interface EmulatorContext {
  state: EmulatorState;
  readonly clock: Clock;
  readonly authority: Authority;
  readonly options: {
    /** Multiplies restore durations (EMULATOR_TIME_SCALE). */
    readonly timeScale: number;
    /** At most this many sessions may be activating or active at once (Graph: 25). */
    readonly maxActiveSessions: number;
    /** Which query options each endpoint accepts (EMULATOR_PROFILE): what the emulator implements, or only what is documented. */
    readonly profile: EmulatorProfile;
  };
}
