import type { ColleagueInfo, MediatorInfo, MediatorKind } from '@mediator/core';
import type { ColleagueEntity, MediatorEntity } from './entities';

export function toMediatorInfo(row: MediatorEntity, colleagueCount: number): MediatorInfo {
  return {
    name: row.name,
    description: row.description,
    maxColleagues: row.maxColleagues,
    colleagueCount,
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  };
}

export function toMediatorRow(m: MediatorInfo): MediatorEntity {
  return {
    name: m.name,
    description: m.description,
    maxColleagues: m.maxColleagues,
    createdAt: m.createdAt,
    updatedAt: m.updatedAt,
  };
}

export function toColleagueInfo(row: ColleagueEntity): ColleagueInfo {
  return {
    mediator: row.mediator,
    id: row.id,
    name: row.name,
    type: row.type as MediatorKind,
    active: Boolean(row.active),
    handles: JSON.parse(row.handles) as string[],
    subscriptions: JSON.parse(row.subscriptions) as string[],
    metadata: JSON.parse(row.metadata) as ColleagueInfo['metadata'],
    registeredAt: new Date(row.registeredAt),
  };
}

export function toColleagueRow(c: ColleagueInfo): ColleagueEntity {
  return {
    mediator: c.mediator,
    id: c.id,
    name: c.name,
    type: c.type,
    active: c.active,
    handles: JSON.stringify(c.handles),
    subscriptions: JSON.stringify(c.subscriptions),
    metadata: JSON.stringify(c.metadata),
    registeredAt: c.registeredAt,
  };
}
