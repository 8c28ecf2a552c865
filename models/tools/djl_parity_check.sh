#!/usr/bin/env bash
# Loads an export directory's graphs with DJL 0.36 + libtorch 2.7.1 (the service's engine) from the local
# Maven repository and checks each against its parity file. Usage: tools/djl_parity_check.sh EXPORT_DIR
set -euo pipefail
dir=$(cd "$1" && pwd)
# Under Maven (models/pom.xml) DJL_CLASSPATH is the resolved classpath of the service's DJL dependencies;
# by hand, the jars are looked up in the local Maven repository.
cp="${DJL_CLASSPATH:-}"
if [ -z "$cp" ]; then
  m2=${M2_REPO:-$HOME/.m2/repository}
  for jar in ai/djl/api/0.36.0/api-0.36.0.jar \
             ai/djl/pytorch/pytorch-engine/0.36.0/pytorch-engine-0.36.0.jar \
             ai/djl/pytorch/pytorch-jni/2.7.1-0.36.0/pytorch-jni-2.7.1-0.36.0.jar \
             ai/djl/pytorch/pytorch-native-cpu/2.7.1/pytorch-native-cpu-2.7.1-linux-x86_64.jar \
             com/google/code/gson/gson/2.13.2/gson-2.13.2.jar \
             net/java/dev/jna/jna/5.17.0/jna-5.17.0.jar \
             org/apache/commons/commons-compress/1.27.1/commons-compress-1.27.1.jar \
             org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar; do
    [ -f "$m2/$jar" ] || { echo "missing $m2/$jar (run the Maven build once to fetch DJL)" >&2; exit 3; }
    cp="$cp:$m2/$jar"
  done
  cp="${cp#:}"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
here=$(cd "$(dirname "$0")" && pwd)
# the native libtorch is unpacked once into a cache beside the build outputs (git-ignored)
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-$here/../build/djl-cache}" PYTORCH_VERSION=2.7.1
java -Dai.djl.offline=true -Djna.tmpdir="$work" -cp "$cp" "$here/DjlParityCheck.java" "$dir"
