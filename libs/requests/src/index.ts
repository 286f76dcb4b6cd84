export { RequestsModule } from './requests.module';
export { RequestsService, type RequestCommand } from './requests.service';
