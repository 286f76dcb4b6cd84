export { resourceKind } from './resource.kind';
export { ResourcesModule } from './resources.module';
export { ResourcesService } from './resources.service';
