package dev.spotter.scheduling;

import dev.spotter.api.CapacityType;
import java.util.List;

/** The outcome of a placement: placed on nodes, or waiting with a reason a user can act on. */
public sealed interface Decision {

  /**
   * The gang (or replica) goes to these nodes, index = rank.
   *
   * @param why a short explanation of the choice, for events and logs
   */
  record Placed(PoolInfo pool, List<String> nodes, String why) implements Decision {
    public Placed {
      nodes = List.copyOf(nodes);
    }

    public CapacityType capacityType() {
      return pool.capacityType();
    }
  }

  /**
   * Nothing placed; {@code message} says what the job waits for.
   *
   * @param recheckAt when the decision may change without any cluster event (the spot wait
   *     ending, a deadline coming close), or null
   */
  record Wait(WaitReason reason, String message, java.time.Instant recheckAt) implements Decision {}

  /** Why a job waits. */
  enum WaitReason {
    /** No permitted pool has room for the whole gang right now. */
    InsufficientCapacity,
    /** Pools with the right GPUs exist, but none admits the job's namespace. */
    PoolNotPermitted,
    /** No pool has the GPU model or the capacity type the job asks for. */
    NoMatchingPool
  }
}
