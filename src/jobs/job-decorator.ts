import type { JobHandler, JobOptions } from './job-types.js';

/** A method decorator that compiles only on a method Ordo can call as a job handler: `(payload, ctx) => Promise<void>`. */
export type JobDecorator = <T extends JobHandler>(
  target: object,
  method: string | symbol,
  descriptor: TypedPropertyDescriptor<T>,
) => void;

/** What one `@Job` recorded, as written: nothing is checked until `Ordo.create()`. */
export interface JobDeclaration {
  readonly name: string;
  readonly options: JobOptions;
}

/** A method with a `@Job`, found on a class or one of its bases. */
export interface JobMethod {
  /** The class the decorator was on. */
  readonly declaredOn: object;
  /** The method's property key. */
  readonly method: string | symbol;
  readonly declaration: JobDeclaration;
}

interface OwnJobs {
  readonly methods: Map<string | symbol, JobDeclaration>;
  readonly problems: string[];
}

const jobsByClass = new WeakMap<object, OwnJobs>();

function own(type: object): OwnJobs {
  let found = jobsByClass.get(type);
  if (!found) {
    found = { methods: new Map(), problems: [] };
    jobsByClass.set(type, found);
  }
  return found;
}

/**
 * Makes the method the handler of the durable job `name`: `Jobs.enqueue(name, payload)` stores a job, and a worker
 * calls the method with the payload and a {@link JobContext} once it is due, after every component started, until
 * it succeeds or runs out of attempts. Only records metadata (on the class and the method's name): `Ordo.create()`
 * checks it, and the app's job workers run it.
 *
 * @example
 * ```ts
 * @Component()
 * class Mailer {
 *   @Job('send-email', { attempts: 5, timeout: '30s' })
 *   async send(payload: { to: string }, { signal }: JobContext) { await this.provider.send(payload, signal); }
 * }
 * ```
 */
export function Job(name: string, options: JobOptions = {}): JobDecorator {
  const label = `@Job(${JSON.stringify(name) ?? String(name)})`;
  return (prototype, method, descriptor) => {
    if (typeof prototype === 'function') {
      own(prototype).problems.push(
        `${label} on static ${(prototype as { name: string }).name}.${String(method)}: jobs run instance methods`,
      );
      return;
    }
    const type = (prototype as { constructor: object }).constructor;
    const where = `${(type as { name?: string }).name ?? 'anonymous class'}.${String(method)}`;
    if (typeof descriptor?.value !== 'function') {
      own(type).problems.push(`${label} on ${where}: it is not a method`);
      return;
    }
    const methods = own(type).methods;
    const earlier = methods.get(method);
    if (earlier !== undefined) {
      own(type).problems.push(
        `${where} has two @Job decorators (${JSON.stringify(earlier.name)} and ${JSON.stringify(name)}): one method handles one job`,
      );
      return;
    }
    methods.set(method, { name, options: options === undefined ? {} : options });
  };
}

/**
 * The `@Job` methods of `type` and its bases, nearest first; a method redeclared lower down hides the `@Job` its name
 * had above, as an override does. Also the misuse found while decorating.
 */
export function jobMethodsOf(type: object): { methods: JobMethod[]; problems: string[] } {
  const methods: JobMethod[] = [];
  const problems: string[] = [];
  const claimedBelow = new Set<string | symbol>();
  for (let level: object | null = type; level && level !== Function.prototype; level = Object.getPrototypeOf(level)) {
    const found = jobsByClass.get(level);
    if (!found) continue;
    problems.push(...found.problems);
    for (const [method, declaration] of found.methods) {
      if (claimedBelow.has(method)) continue;
      claimedBelow.add(method);
      methods.push({ declaredOn: level, method, declaration });
    }
  }
  return { methods, problems };
}

/** True when `type` or a base class has a `@Job` method, or misuse of the decorator. */
export function hasJobs(type: object): boolean {
  for (let level: object | null = type; level && level !== Function.prototype; level = Object.getPrototypeOf(level)) {
    if (jobsByClass.has(level)) return true;
  }
  return false;
}
