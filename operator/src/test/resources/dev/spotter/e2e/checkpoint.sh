# Spotter runs this in the worker through pods/exec when a notice comes (checkpoint trigger Exec):
# it commits a checkpoint of the current step and prints the report on stdout, exit code 0.
state=${WORKLOAD_STATE_DIR:-/tmp/spotter-e2e}
step=$(cat "$state/step")
id="ckpt-$step"
echo "$id" >> "$state/checkpoints"
# into the worker's own log too (the output of PID 1), so the log shows where the checkpoint fell
echo "checkpoint $id committed" 2>/dev/null > "${WORKLOAD_LOG:-/proc/1/fd/1}" || true
printf '{"id":"%s","step":%s,"time":"%s"}\n' "$id" "$step" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
