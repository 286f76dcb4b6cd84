export { SERVICE_NAME_PATTERN } from './service.dto';
export { serviceKind } from './service.kind';
export { ServiceRegistryModule } from './service-registry.module';
export { ServiceRegistryService } from './service-registry.service';
