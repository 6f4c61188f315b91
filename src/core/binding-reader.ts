import type { Container, ServiceIdentifier } from 'inversify';
import { Plugin, type PluginApi, type PluginContext } from '@inversifyjs/plugin';
import type { Binding } from '@inversifyjs/core';

/**
 * Read-only view of what a container binds. inversify 8 has no public API to list bindings; its plugin API
 * hands a registered plugin the binding service, which is the supported way in.
 */
export interface BindingReader {
  /** Every service identifier bound in the container or its ancestors. */
  boundServices(): Iterable<ServiceIdentifier>;
  /** The bindings of one identifier, nearest container first. */
  bindingsOf(id: ServiceIdentifier): Binding[];
}

const readers = new WeakMap<Container, BindingReader>();

class BindingReaderPlugin extends Plugin<Container> {
  constructor(container: Container, context: PluginContext) {
    super(container, context);
    const service = context.bindingService;
    readers.set(container, {
      boundServices: () => service.getBoundServices(),
      bindingsOf: (id) => [...service.getChained(id)],
    });
  }

  load(_api: PluginApi): void {}
}

/** The binding reader of `container`, registering Ordo's plugin on first use. */
export function bindingReaderOf(container: Container): BindingReader {
  let reader = readers.get(container);
  if (!reader) {
    container.register(BindingReaderPlugin);
    reader = readers.get(container)!;
  }
  return reader;
}
