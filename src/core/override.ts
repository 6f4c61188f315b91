import type { ServiceIdentifier } from 'inversify';

/** One entry of `Ordo.create()`'s `overrides`: an identifier and the value bound in its place. */
export type Override<T = unknown> = readonly [id: ServiceIdentifier<T>, value: T];

/**
 * A typed entry of `Ordo.create()`'s `overrides`: the value must have the shape of what `id` identifies, so that
 * `override(PgPool, fakeMailer)` is a compile error where `[PgPool, fakeMailer]` is not. A string or symbol
 * identifier carries no type: give it one, `override<Config>('Config', config)`.
 *
 * A value that is not an instance of a component's class (a plain-object fake) replaces the component with a
 * service: it leaves the start order and the health report, and none of its methods is called as a hook.
 *
 * @example
 * ```ts
 * const app = await Ordo.create(AppModule, { overrides: [override(Clock, new VirtualClock()), override(Mailer, fakeMailer)] });
 * ```
 */
export function override<T>(id: ServiceIdentifier<T>, value: NoInfer<T>): Override<T> {
  return [id, value];
}
