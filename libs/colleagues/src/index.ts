export { ColleaguesModule } from './colleagues.module';
export { ColleaguesService, type ColleagueView } from './colleagues.service';
