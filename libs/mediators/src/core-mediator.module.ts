import { type DynamicModule, Module } from '@nestjs/common';
import { RealtimeModule } from '@mediator/realtime';
import { CoreMediatorProvider } from './core-mediator.provider';
import { type KindLibrary, kindBindingsProvider } from './kind-library';

/**
 * The core mediator provider for the whole app (global), built with the stores the kind
 * libraries bind: the app lists them once (KINDS) and passes them here, so this library imports
 * no kind. The kinds' modules are imported here, which makes their exported stores injectable;
 * they get the provider back because this module is global (no module cycle).
 */
@Module({})
export class CoreMediatorModule {
  static forRoot(kinds: readonly KindLibrary[]): DynamicModule {
    return {
      module: CoreMediatorModule,
      global: true,
      imports: [RealtimeModule, ...kinds.map((kind) => kind.module)],
      providers: [kindBindingsProvider(kinds), CoreMediatorProvider],
      exports: [CoreMediatorProvider],
    };
  }
}
