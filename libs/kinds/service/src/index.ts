export { serviceKind } from './service.kind';
export { ServiceRegistryModule } from './service-registry.module';
export { ServiceRegistryService } from './service-registry.service';
