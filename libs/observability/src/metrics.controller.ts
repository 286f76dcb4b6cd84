import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, RequireScopes } from '@mediator/auth';
import { ApiErrors } from '@mediator/http';
import { MetricsPointDto, MetricsSummaryDto, MetricsTotalsDto } from './metrics-summary.dto';
import { MetricsSampler, SAMPLE_INTERVAL_MS } from './metrics-sampler';

@ApiTags('metrics')
@ApiBearerAuth()
@Controller('api/v1/metrics')
export class MetricsController {
  constructor(private readonly sampler: MetricsSampler) {}

  @Get('summary')
  @RequireScopes('audit:read')
  @ApiOperation({
    summary: 'Throughput and latency of this instance over the last five minutes (the console)',
    description:
      'From the counters of GET /metrics (port 9090), sampled every 5 s: messages sent, ' +
      'deliveries acknowledged and HTTP requests per interval, with mean latencies. The figures ' +
      'span every mediator, so a mediator-bound token is 403 MEDIATOR_FORBIDDEN.',
  })
  @ApiOkResponse({ type: MetricsSummaryDto })
  @ApiErrors([403], { 403: 'INSUFFICIENT_SCOPE, MEDIATOR_FORBIDDEN (a mediator-bound token)' })
  summary(@CurrentPrincipal() principal: Principal): MetricsSummaryDto {
    principal.requireUnbound();
    const history = this.sampler.history;
    return {
      interval_ms: SAMPLE_INTERVAL_MS,
      totals: MetricsTotalsDto.from(history.totals()),
      points: history.history().map(MetricsPointDto.from),
    };
  }
}
