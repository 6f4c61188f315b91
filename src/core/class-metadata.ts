import { getClassMetadata } from '@inversifyjs/core';
import type { AnyClass } from './component-metadata.js';

/** inversify's injection metadata of one class: its constructor arguments and properties. */
export type ClassMetadata = ReturnType<typeof getClassMetadata>;

/**
 * inversify's injection metadata of the classes one discovery reads, each read once: the request-only check and
 * the dependency walk both read every bound class, and inversify builds the metadata afresh on every read.
 */
export class ClassMetadataReads {
  readonly #read = new Map<AnyClass, ClassMetadata | ReadFailure>();

  /**
   * The metadata of `type`.
   *
   * @throws whatever inversify threw reading it, the same error on every later read.
   */
  of(type: AnyClass): ClassMetadata {
    let read = this.#read.get(type);
    if (read === undefined) {
      try {
        read = getClassMetadata(type as never);
      } catch (error) {
        read = new ReadFailure(error);
      }
      this.#read.set(type, read);
    }
    if (read instanceof ReadFailure) throw read.error;
    return read;
  }
}

/** A read that threw, kept so that a later read throws the same. */
class ReadFailure {
  constructor(readonly error: unknown) {}
}
