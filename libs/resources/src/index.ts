export { ResourcesModule } from './resources.module';
export { ResourcesService } from './resources.service';
