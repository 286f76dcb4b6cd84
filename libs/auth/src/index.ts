export { AuthModule } from './auth.module';
export { TokenService } from './token.service';
export { RateLimiter } from './rate-limiter';
export { Principal, SCOPES, type Scope } from './principal';
export {
  Public,
  RequireScopes,
  CurrentPrincipal,
  type RequestWithPrincipal,
} from './auth.decorators';
