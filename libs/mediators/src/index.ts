export { MediatorsModule } from './mediators.module';
export { CoreMediatorModule } from './core-mediator.module';
export { CoreMediatorProvider } from './core-mediator.provider';
export { type KindLibrary } from './kind-library';
export { MediatorsService } from './mediators.service';
export { CreateMediatorDto, MediatorResponseDto, UpdateMediatorDto } from './mediator.dto';
