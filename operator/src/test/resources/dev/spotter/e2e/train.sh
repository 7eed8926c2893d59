# The e2e suite's training workload (busybox sh): one-second "steps" that follow Spotter's
# checkpoint contract (docs/checkpoint-contract.md) with the Exec trigger. Its whole state is the
# step counter, and a checkpoint id is ckpt-<step>, so the id alone is enough to resume from.
state=${WORKLOAD_STATE_DIR:-/tmp/spotter-e2e}
mkdir -p "$state"
step=0
if [ -n "${SPOTTER_RESUME_FROM:-}" ]; then
  step=${SPOTTER_RESUME_FROM##*-}
  case "$step" in
    '' | *[!0-9]*) echo "cannot load checkpoint $SPOTTER_RESUME_FROM"; exit 2 ;;
  esac
  echo "resumed from $SPOTTER_RESUME_FROM at step $step (attempt $SPOTTER_ATTEMPT, pool $SPOTTER_POOL, $SPOTTER_CAPACITY_TYPE)"
else
  echo "fresh start (attempt $SPOTTER_ATTEMPT, pool $SPOTTER_POOL, $SPOTTER_CAPACITY_TYPE)"
fi
save_step() {
  # rename is atomic: a checkpoint taken meanwhile reads the old or the new step, never half
  echo "$step" > "$state/step.tmp" && mv "$state/step.tmp" "$state/step"
}
save_step
# PID 1 gets no default signal handling: leave promptly when Spotter deletes the pod
trap 'echo "SIGTERM at step $step"; exit 143' TERM
while [ "$step" -lt "$TOTAL_STEPS" ]; do
  sleep 1 &
  wait $!
  step=$((step + 1))
  save_step
  echo "step $step"
done
echo "done at step $step"
