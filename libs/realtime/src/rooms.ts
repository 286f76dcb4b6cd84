/** Socket.IO rooms: one per colleague (its deliveries), one per mediator (its lifecycle events). */
export const colleagueRoom = (mediator: string, id: string) => `colleague:${mediator}:${id}`;
export const mediatorRoom = (mediator: string) => `mediator:${mediator}`;
export const ALL_MEDIATORS_ROOM = 'mediator:*';
