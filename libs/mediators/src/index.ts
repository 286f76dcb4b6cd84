export { MediatorsModule } from './mediators.module';
export { CoreMediatorModule } from './core-mediator.module';
export { CoreMediatorProvider } from './core-mediator.provider';
export { type KindLibrary } from './kind-library';
export { MediatorsService } from './mediators.service';
export { CreateMediatorDto, MediatorResponseDto, UpdateMediatorDto } from './mediator.dto';
// PeriodicTask lives in @mediator/persistence (retention sweeps use it too); re-exported for the
// kind services that import it from here until they import it from there.
export { PeriodicTask } from '@mediator/persistence';
