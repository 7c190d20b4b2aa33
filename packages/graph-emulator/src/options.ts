import type { ClockMode } from './clock.js';
import { EMULATOR_PROFILES, type EmulatorProfile } from './http/strict-query-options.js';

/** What the environment sets: every field has its value, defaults applied. */
export interface EmulatorEnvOptions {
  /** `EMULATOR_PORT`, default 4010 (0 picks a free port). */
  port: number;
  /** `EMULATOR_TIME_SCALE`, default 1. */
  timeScale: number;
  /** `EMULATOR_CLOCK`, default `realtime`. */
  clock: ClockMode;
  /** `EMULATOR_PROFILE`, default `default`. */
  profile: EmulatorProfile;
}

/**
 * The emulator parses its own options (the gateway's config module never sees these). Every wrong variable is named,
 * one per line of the error's message.
 */
export function emulatorOptionsFromEnv(env: NodeJS.ProcessEnv): EmulatorEnvOptions {
  const problems: string[] = [];
  const port = env.EMULATOR_PORT === undefined || env.EMULATOR_PORT === '' ? 4010 : Number(env.EMULATOR_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push(`EMULATOR_PORT must be a port number (0-65535), got '${env.EMULATOR_PORT}'`);
  const timeScale = env.EMULATOR_TIME_SCALE === undefined || env.EMULATOR_TIME_SCALE === '' ? 1 : Number(env.EMULATOR_TIME_SCALE);
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
    problems.push(`EMULATOR_TIME_SCALE must be a positive number (0.01 is 100 times faster), got '${env.EMULATOR_TIME_SCALE}'`);
  }
  const clock = (env.EMULATOR_CLOCK ?? 'realtime') as ClockMode;
  if (clock !== 'realtime' && clock !== 'manual')
    problems.push(`EMULATOR_CLOCK must be 'realtime' or 'manual', got '${env.EMULATOR_CLOCK}'`);
  const profile = (env.EMULATOR_PROFILE === undefined || env.EMULATOR_PROFILE === '' ? 'default' : env.EMULATOR_PROFILE) as EmulatorProfile;
  if (!EMULATOR_PROFILES.includes(profile)) {
    problems.push(`EMULATOR_PROFILE must be 'default' or 'strict' (only documented query options), got '${env.EMULATOR_PROFILE}'`);
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return { port, timeScale, clock, profile };
}
