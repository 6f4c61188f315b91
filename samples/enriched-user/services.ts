/**
 * The seed's EnrichedUser composition as `@Task` methods: enrichedUser needs the subscription, the user and the
 * posts; posts need the user again. Within one request scope every task runs once per id, however many callers.
 */
import { inject, injectable } from 'inversify';
import { Clock, Task, currentTaskScope } from '../../src/index.js';

/** A fake upstream that takes 20 ms (on the Clock) per call and counts them. */
@injectable()
export class Upstream {
  readonly calls = new Map<string, number>();
  constructor(@inject(Clock) private readonly clock: Clock) {}

  async fetch<T>(what: string, value: T): Promise<T> {
    this.calls.set(what, (this.calls.get(what) ?? 0) + 1);
    await this.clock.sleep('20ms', currentTaskScope()?.signal);
    return value;
  }

  callsTo(prefix: string): number {
    let total = 0;
    for (const [what, count] of this.calls) if (what.startsWith(prefix)) total += count;
    return total;
  }
}

export interface User {
  id: string;
  name: string;
}

@injectable()
export class Users {
  constructor(@inject(Upstream) private readonly upstream: Upstream) {}
  @Task() getUser(id: string): Promise<User> {
    return this.upstream.fetch(`user:${id}`, { id, name: `User ${id}` });
  }
}

@injectable()
export class Posts {
  constructor(
    @inject(Upstream) private readonly upstream: Upstream,
    @inject(Users) private readonly users: Users,
  ) {}
  @Task() async getPosts(userId: string): Promise<string[]> {
    const user = await this.users.getUser(userId); // shared with enrichedUser's own call
    return this.upstream.fetch(`posts:${userId}`, [`${user.name}'s first post`, `${user.name}'s second post`]);
  }
}

@injectable()
export class Subscriptions {
  constructor(@inject(Upstream) private readonly upstream: Upstream) {}
  @Task() checkSubscription(userId: string): Promise<'free' | 'pro'> {
    return this.upstream.fetch(`subscription:${userId}`, userId === '1' ? 'pro' : 'free');
  }
}

export interface EnrichedUser {
  user: User;
  posts: string[];
  subscription: 'free' | 'pro';
}

@injectable()
export class Enricher {
  constructor(
    @inject(Users) private readonly users: Users,
    @inject(Posts) private readonly posts: Posts,
    @inject(Subscriptions) private readonly subscriptions: Subscriptions,
  ) {}

  @Task() async enrichedUser(userId: string): Promise<EnrichedUser> {
    const subscription = await this.subscriptions.checkSubscription(userId);
    const [user, posts] = await Promise.all([this.users.getUser(userId), this.posts.getPosts(userId)]);
    return { user, posts, subscription };
  }
}
