import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '@mediator/auth';

/** Terminus health checks: every configured component, the process alone, and readiness. */
@ApiTags('health')
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  private components() {
    return [() => this.database.pingCheck('database', { timeout: 2000 })];
  }

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Status of every configured component (503 naming the failed one)' })
  check() {
    return this.health.check(this.components());
  }

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: the dependencies answer' })
  ready() {
    return this.health.check(this.components());
  }
}
