#!/usr/bin/env bash
# The graph benchmark of issue 4 in one command: per-graph latency and frames/s by batch size,
# Python torch beside Java (DJL, the service's engine) on the very same exported files.
#
#   models/tools/bench_graphs.sh [golden|fullsize|both] [--batches 1,4,8] [--iters N] [--device cuda]
#
# golden:   the golden-size graphs (real architectures, reduced widths, the golden weights)
# fullsize: the published architectures (musetalk.json, sd-vae config) with seeded random weights,
#           UNet and VAE decode only; exported once into models/build/fullsize (3.8 GB, minutes)
# Graphs are exported on first use; delete models/build/<set> to export again.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# The models' Python (the pom's models.python): the checkout's venv from models/requirements.txt.
python=$root/.venv/bin/python
[ -x "$python" ] || { echo "The models' Python $python does not exist: run .ci/run, or python3 -m venv .venv && .venv/bin/pip install -r models/requirements.txt" >&2; exit 2; }
golden=${MUSETALK_GOLDEN_DIR:-$root/../shared/golden/musetalk15}
which=${1:-both}
shift || true
batches=1,4,8
iters=5
device=cpu
while (($#)); do
  case "$1" in
    --batches) batches=$2; shift 2 ;;
    --iters) iters=$2; shift 2 ;;
    --device) device=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -d "$golden" ] || { echo "golden tensors not found at $golden (set MUSETALK_GOLDEN_DIR)" >&2; exit 2; }
precision=fp32
[ "$device" = cuda ] && precision=fp16

export_set() { # name, export flags...
  local name=$1; shift
  local dir=$root/models/build/$name-$precision
  if [ ! -f "$dir/manifest.json" ]; then
    echo "# exporting $name graphs ($precision) into $dir" >&2
    (cd "$root/models" && "$python" -m musetalk_models.export --out "$dir" --precision "$precision" \
        --device "$device" "$@" >&2)
  fi
  echo "$dir"
}

bench_set() { # dir, only
  local dir=$1 only=$2
  echo
  echo "## Python torch"
  (cd "$root/models" && "$python" -m musetalk_models.bench --graphs "$dir" --only "$only" \
      --batches "$batches" --iters "$iters" --warmup 1 --device "$device")
  if [ "$device" = cpu ]; then
    echo
    echo "## Java, DJL 0.36 + libtorch 2.7.1"
    (cd "$root" && mvn -q -pl functions/lipsync -am test-compile exec:java -Dexec.skip=true -Dexec.classpathScope=test \
        -Dexec.mainClass=ai.lipsync.musetalk.bench.GraphBenchmark \
        -Dexec.args="--graphs $dir --only $only --batches $batches --iters $iters --warmup 1" 2>&1 \
        | grep -v -e ' INFO ' -e ' WARN ')
  else
    echo "(the GPU host runs the Python side only: the DJL CUDA engine comes with the worker container)"
  fi
}

if [ "$which" = golden ] || [ "$which" = both ]; then
  echo "# golden-size graphs"
  bench_set "$(export_set golden --golden "$golden")" unet,vae_decode,vae_encode,whisper,whisper_mel,bisenet
fi
if [ "$which" = fullsize ] || [ "$which" = both ]; then
  echo
  echo "# full-size architectures, random weights"
  bench_set "$(export_set fullsize --random-weights --unet-config "$golden/full-size/musetalk.json" \
      --vae-config "$golden/full-size/sd-vae-config.json")" unet,vae_decode
fi
