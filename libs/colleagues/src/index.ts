export { ColleaguesModule } from './colleagues.module';
export { ColleaguesService, type ColleagueView } from './colleagues.service';
export {
  ColleagueResponseDto,
  ListColleaguesQueryDto,
  RegisterColleagueDto,
  UpdateColleagueDto,
} from './colleague.dto';
