// The command and query kinds: one request/reply mechanism (a request goes to one handler of its
// type and resolves with its reply; a query's reply is cached), so one library for both.
export { requestKind } from './request.kind';
export { RequestsModule } from './requests.module';
export { RequestsService, type RequestCommand } from './requests.service';
