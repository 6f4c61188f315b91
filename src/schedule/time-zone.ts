import { ConfigurationError } from '../errors/index.js';

/**
 * Checks an IANA time zone at once: croner finds a bad one only at the first `nextRun`, and reads `''` as the
 * host's zone without a word.
 *
 * @param where what declared it, for the error: `@Cron("0 3 * * *") on Reports.nightly`.
 * @throws ConfigurationError `ORDO_INVALID_TIME_ZONE` naming the zone, with the runtime's error as the cause.
 */
export function checkTimeZone(timeZone: unknown, where: string): string | undefined {
  if (timeZone === undefined) return undefined;
  if (typeof timeZone !== 'string' || timeZone.trim() === '') {
    throw new ConfigurationError(
      'ORDO_INVALID_TIME_ZONE',
      `${where}: timeZone ${JSON.stringify(timeZone) ?? String(timeZone)} is not a time zone; give an IANA name such as 'Europe/Berlin', or leave timeZone out for the host's zone`,
    );
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch (cause) {
    throw new ConfigurationError(
      'ORDO_INVALID_TIME_ZONE',
      `${where}: unknown time zone ${JSON.stringify(timeZone)}; give an IANA name such as 'America/New_York'`,
      { cause },
    );
  }
  return timeZone;
}
