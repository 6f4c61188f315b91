import { JobError } from './job-errors.js';

/** The largest payload accepted when `maxPayloadBytes` is not given: 256 KiB of JSON text. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 262_144;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * The JSON text of a job's payload, checked so that what the handler reads back is what was enqueued: `null`,
 * booleans, finite numbers, strings, arrays and plain objects (their prototype `Object.prototype` or `null`), nested
 * in any shape without cycles. A property whose value is `undefined` is left out, as JSON does; anything else JSON
 * would drop or change silently is refused: functions, symbols, BigInt, `NaN` and `±Infinity`, `undefined` at the top
 * level or in an array, holes in arrays, symbol keys, and objects of a class (`Date`, `Map`, `Set`, a `Buffer`, your
 * classes) — a `Date` would arrive as a string, a `Map` as `{}`.
 *
 * @throws JobError `ORDO_JOB_PAYLOAD` naming the job and the path at fault (`payload.user.tags[2]`), or
 * `ORDO_JOB_PAYLOAD_TOO_LARGE` when the JSON text is over `maxBytes` bytes (UTF-8).
 */
export function encodePayload(job: string, payload: unknown, maxBytes: number): string {
  checkValue(job, payload, 'payload', [], true);
  const text = JSON.stringify(payload);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) {
    throw new JobError(
      'ORDO_JOB_PAYLOAD_TOO_LARGE',
      job,
      `Jobs.enqueue("${job}"): the payload is ${bytes} bytes of JSON, over the limit of ${maxBytes} (the jobs option maxPayloadBytes); ` +
        'store large data elsewhere (a file, an object store) and enqueue its reference',
    );
  }
  return text;
}

function checkValue(job: string, value: unknown, path: string, ancestors: object[], topLevel: boolean): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) refuse(job, path, `is ${String(value)}, which JSON writes as null`);
      return;
    case 'undefined':
      refuse(
        job,
        path,
        topLevel
          ? 'is undefined, which JSON cannot hold; enqueue null or {}'
          : 'is undefined, which JSON writes as null',
      );
      return;
    case 'bigint':
      refuse(job, path, 'is a BigInt, which JSON cannot hold; pass it as a string');
      return;
    case 'symbol':
      refuse(job, path, 'is a symbol, which JSON cannot hold');
      return;
    case 'function':
      refuse(job, path, `is a function (${value.name || 'anonymous'}), which JSON cannot hold`);
      return;
  }
  if (value === null) return;
  const object = value as object;
  const cycleAt = ancestors.indexOf(object);
  if (cycleAt >= 0) refuse(job, path, 'refers back to an object it is inside of (a cycle), which JSON cannot hold');
  ancestors.push(object);
  if (Array.isArray(object)) {
    for (let index = 0; index < object.length; index++) {
      const at = `${path}[${index}]`;
      if (!(index in object)) refuse(job, at, 'is a hole in the array, which JSON writes as null');
      checkValue(job, object[index], at, ancestors, false);
    }
  } else {
    const prototype = Object.getPrototypeOf(object) as object | null;
    if (prototype !== Object.prototype && prototype !== null) {
      const kind = (object as { constructor?: { name?: string } }).constructor?.name || 'a class';
      refuse(job, path, `is a ${kind}, not a plain object; JSON would not give it back as one${hintFor(kind)}`);
    }
    if (Object.getOwnPropertySymbols(object).length > 0) {
      refuse(job, path, 'has a symbol key, which JSON leaves out');
    }
    for (const key of Object.keys(object)) {
      const property = (object as Record<string, unknown>)[key];
      if (property === undefined) continue;
      checkValue(
        job,
        property,
        IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`,
        ancestors,
        false,
      );
    }
  }
  ancestors.pop();
}

function hintFor(kind: string): string {
  if (kind === 'Date') return ': pass date.toISOString() or date.getTime()';
  if (kind === 'Map') return ': pass Object.fromEntries(map) or [...map]';
  if (kind === 'Set') return ': pass [...set]';
  return ': pass a plain object with its data';
}

function refuse(job: string, path: string, why: string): never {
  throw new JobError(
    'ORDO_JOB_PAYLOAD',
    job,
    `Jobs.enqueue("${job}"): ${path} ${why}; a job's payload must be JSON (null, booleans, finite numbers, strings, arrays, plain objects)`,
  );
}
