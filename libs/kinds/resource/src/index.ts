export { RESOURCE_NAME_PATTERN } from './resource.dto';
export { resourceKind } from './resource.kind';
export { ResourcesModule } from './resources.module';
export { ResourcesService } from './resources.service';
