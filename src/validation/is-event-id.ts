import { isEventId, MAX_EVENT_ID_LENGTH } from '@tickstream/client/contract';
import { ValidateBy } from 'class-validator';

/** An event id, `"<ms>-<seq>"`: the only resume point a client may send. */
export function IsEventId(): PropertyDecorator {
  return ValidateBy({
    name: 'isEventId',
    validator: {
      validate: (value: unknown) => isEventId(value),
      defaultMessage: () =>
        `must be an event id "<ms>-<seq>", such as 1795608150708-0 (at most ${MAX_EVENT_ID_LENGTH} characters)`,
    },
  });
}
