export { MediatorsModule } from './mediators.module';
export { CoreMediatorProvider } from './core-mediator.provider';
export { MediatorsService } from './mediators.service';
export { MediatorResponseDto } from './mediator.dto';
export { KindPlugins } from './kind-plugins';
export { PeriodicTask } from './periodic-task';
