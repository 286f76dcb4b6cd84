import { ApiProperty } from '@nestjs/swagger';
import type { MetricTotals, MetricsPoint } from './metrics-history';

export class MetricsPointDto {
  @ApiProperty({ example: '2026-11-26T08:00:05.000Z', description: 'End of the interval' })
  at: string;
  @ApiProperty({ example: 12, description: 'Messages sent during the interval (every kind)' })
  messages: number;
  @ApiProperty({ example: 11, description: 'Deliveries acknowledged during the interval' })
  deliveries: number;
  @ApiProperty({ type: Number, nullable: true, example: 3.2, description: 'Mean push-to-ack ms' })
  delivery_latency_ms: number | null;
  @ApiProperty({ example: 40, description: 'HTTP requests answered during the interval' })
  http_requests: number;
  @ApiProperty({ type: Number, nullable: true, example: 1.8, description: 'Mean HTTP ms' })
  http_latency_ms: number | null;

  static from(p: MetricsPoint): MetricsPointDto {
    return {
      at: p.at.toISOString(),
      messages: p.messages,
      deliveries: p.deliveries,
      delivery_latency_ms: p.deliveryLatencyMs,
      http_requests: p.httpRequests,
      http_latency_ms: p.httpLatencyMs,
    };
  }
}

export class MetricsTotalsDto {
  @ApiProperty({ example: 1200 }) messages: number;
  @ApiProperty({ example: 1180 }) deliveries: number;
  @ApiProperty({ example: 5400 }) http_requests: number;

  static from(t: MetricTotals): MetricsTotalsDto {
    return { messages: t.messages, deliveries: t.deliveries, http_requests: t.httpRequests };
  }
}

export class MetricsSummaryDto {
  @ApiProperty({ example: 5000, description: 'Length of one interval' }) interval_ms: number;
  @ApiProperty({ type: MetricsTotalsDto, description: 'Since this instance started' })
  totals: MetricsTotalsDto;
  @ApiProperty({ type: [MetricsPointDto], description: 'Oldest first, at most 60' })
  points: MetricsPointDto[];
}
