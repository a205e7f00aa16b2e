import type { INestApplication } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';

export interface RouteHandler {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- a controller class of any shape
  controller: Function;
  prototype: Record<string, unknown>;
  name: string;
  handler: object;
  descriptor: PropertyDescriptor;
}

/** Every HTTP handler of the app's controllers (message handlers of a hybrid app carry no path and are left out). */
export function* routeHandlers(app: INestApplication): Generator<RouteHandler> {
  const scanner = new MetadataScanner();
  for (const wrapper of app.get(DiscoveryService).getControllers()) {
    const controller = wrapper.metatype;
    if (typeof controller !== 'function') continue;
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
      if (typeof handler !== 'function' || !descriptor || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      yield { controller, prototype, name, handler, descriptor };
    }
  }
}
