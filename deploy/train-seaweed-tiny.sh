#!/usr/bin/env bash
# Trains seaweed-tiny with the project's own commands and ships it to models/seaweed-tiny/:
#   1 curate   synthetic raw footage → curated dataset (seaweed curate)
#   2 vae      the VAE: images, then videos, PatchGANs after warm-up (seaweed train vae) → runs/vae-tiny/model
#   3 dit      the DiT on rank grains through the curriculum, from that VAE (seaweed train)
#   4 export   the DiT run's last checkpoint → model directory → models/seaweed-tiny/{config.json,model.safetensors,tokenizer.json}
#   5 eval     seaweed eval vae, seaweed eval prompts (held-out and seen prompts)
#   6 card     loss curves (PNG) and figures.json for the model card
# Resumable: a finished stage leaves its JSON under $SEAWEED_RECIPE_DIR and is skipped on the next run; an
# interrupted VAE or DiT run continues from its last checkpoint. Run from anywhere: deploy/train-seaweed-tiny.sh
#
# Overrides (environment): VAE_CONFIG, DIT_CONFIG, SEAWEED_RECIPE_DIR (default runs/seaweed-tiny), MODEL_DIR
# (default models/seaweed-tiny), CURATE_VIDEOS (300), EVAL_N (64), EVAL_STEPS (the model's), EVAL_VAE_CLIPS (16),
# MAX_MODEL_MB (50).
set -euo pipefail
cd "$(dirname "$0")/.."

VAE_CONFIG=${VAE_CONFIG:-configs/vae-tiny.json}
DIT_CONFIG=${DIT_CONFIG:-configs/dit-tiny.json}
WORK=${SEAWEED_RECIPE_DIR:-runs/seaweed-tiny}
MODEL_DIR=${MODEL_DIR:-models/seaweed-tiny}
CURATE_VIDEOS=${CURATE_VIDEOS:-300}
EVAL_N=${EVAL_N:-64}
EVAL_STEPS=${EVAL_STEPS:-}
EVAL_VAE_CLIPS=${EVAL_VAE_CLIPS:-16}
MAX_MODEL_MB=${MAX_MODEL_MB:-50}

mkdir -p "$WORK"
WORK=$(realpath "$WORK")
# The recipe's checkpoints, dataset and grain state stay under $WORK, apart from the user's .seaweed/.
export Seaweed__Artefacts__Kind=local Seaweed__Artefacts__Path="$WORK/store" Seaweed__Silo__StateDirectory="$WORK/grains"

command -v jq >/dev/null || { echo "train-seaweed-tiny: jq is required (apt-get install jq)" >&2; exit 2; }
dotnet build -c Release silos/Seaweed.Cli -v quiet -nologo >/dev/null
seaweed() { dotnet silos/Seaweed.Cli/bin/Release/net10.0/seaweed.dll "$@"; }

# stage NAME OUTPUT.json COMMAND...: skipped when OUTPUT exists; the JSON lands under its name only on success.
stage() {
  local name=$1 out=$WORK/$2; shift 2
  if [[ -s $out ]]; then echo "== $name: done ($out)"; return; fi
  echo "== $name: $*"
  local start=$SECONDS
  "$@" > "$out.tmp"
  mv "$out.tmp" "$out"
  printf '%s\t%s\n' "$name" $((SECONDS - start)) >> "$WORK/times.tsv"
  echo "== $name: $((SECONDS - start)) s"
}

relative_to() { realpath -m "$(dirname "$1")/$2"; }

DATASET=$(jq -r '.data.name' "$DIT_CONFIG")
stage curate curate.json seaweed curate --synthetic "$CURATE_VIDEOS" --seed 1 --out "$DATASET" --json

# The DiT starts from the model directory the VAE run exports: the two configs must agree on where that is.
VAE_OUT=$(relative_to "$VAE_CONFIG" "$(jq -r '.output' "$VAE_CONFIG")")
DIT_MODEL=$(relative_to "$DIT_CONFIG" "$(jq -r '.model' "$DIT_CONFIG")")
if [[ $DIT_MODEL != "$VAE_OUT/model" ]]; then
  echo "train-seaweed-tiny: $DIT_CONFIG trains from $DIT_MODEL, but $VAE_CONFIG exports $VAE_OUT/model" >&2; exit 2
fi
VAE_RESUME=()
[[ -d $VAE_OUT/checkpoints ]] && VAE_RESUME=(--resume)
stage vae vae.json seaweed train vae --config "$VAE_CONFIG" "${VAE_RESUME[@]}" --json

DIT_RESUME=()
[[ -e $WORK/dit.started ]] && DIT_RESUME=(--resume)
[[ -s $WORK/dit.json ]] || touch "$WORK/dit.started"
stage dit dit.json seaweed train --config "$DIT_CONFIG" --run dit-tiny "${DIT_RESUME[@]}" --json

# An export cut short leaves no export.json; its directory is rewritten.
[[ -s $WORK/export.json ]] || rm -rf "$WORK/export"
stage export export.json seaweed train export --config "$DIT_CONFIG" --run dit-tiny --out "$WORK/export" --json
bytes=$(stat -c %s "$WORK/export/model.safetensors")
if (( bytes > MAX_MODEL_MB * 1000000 )); then
  echo "train-seaweed-tiny: model.safetensors is $((bytes / 1000000)) MB, over the $MAX_MODEL_MB MB that ships" >&2; exit 1
fi
mkdir -p "$MODEL_DIR"
for f in config.json tokenizer.json model.safetensors; do
  cp "$WORK/export/$f" "$MODEL_DIR/.$f.tmp" && mv "$MODEL_DIR/.$f.tmp" "$MODEL_DIR/$f"
done
echo "== shipped $MODEL_DIR ($((bytes / 1000000)) MB of weights)"

STEPS=()
[[ -n $EVAL_STEPS ]] && STEPS=(--steps "$EVAL_STEPS")
stage eval-vae eval-vae.json seaweed eval vae --model "$MODEL_DIR" --clips "$EVAL_VAE_CLIPS" --json
stage eval-heldout eval-prompts-heldout.json seaweed eval prompts --model "$MODEL_DIR" --set heldout --n "$EVAL_N" "${STEPS[@]}" --json
stage eval-seen eval-prompts-train.json seaweed eval prompts --model "$MODEL_DIR" --set train --n "$EVAL_N" "${STEPS[@]}" --json

# The card's figures: the DiT's loss history from its run grain (via export); the VAE's when its summary carries one.
SERIES=(--series "DiT=$WORK/export.json")
jq -e '.history' "$WORK/vae.json" >/dev/null 2>&1 && SERIES+=(--series "VAE=$WORK/vae.json")
seaweed eval curves "${SERIES[@]}" --title "seaweed-tiny training loss" --out "$MODEL_DIR/loss-curves.png" >/dev/null
jq -n --slurpfile curate "$WORK/curate.json" --slurpfile vae "$WORK/vae.json" --slurpfile dit "$WORK/dit.json" \
  --slurpfile evae "$WORK/eval-vae.json" --slurpfile held "$WORK/eval-prompts-heldout.json" --slurpfile seen "$WORK/eval-prompts-train.json" \
  --rawfile times "$WORK/times.tsv" '{
    data: { dataset: $curate[0].dataset, samples: $curate[0].status.counts.samples, probe: $curate[0].probe },
    vae: { steps: $vae[0].step, secondsPerStep: $vae[0].secondsPerStep, final: $vae[0].final, latentScale: $vae[0].latentScale },
    dit: { steps: $dit[0].step, seconds: $dit[0].seconds, tokensPerSecond: $dit[0].tokensPerSecond, stages: $dit[0].stages },
    reconstruction: { training: $evae[0].training, double: $evae[0].double },
    promptFollowing: { heldOut: $held[0].textToVideo, seen: $seen[0].textToVideo, ceiling: $held[0].ceiling, imageToVideo: $held[0].imageToVideo },
    stageSeconds: ($times | split("\n") | map(select(length > 0) | split("\t") | {(.[0]): (.[1] | tonumber)}) | add)
  }' > "$MODEL_DIR/.figures.json.tmp"
mv "$MODEL_DIR/.figures.json.tmp" "$MODEL_DIR/figures.json"
echo "== card: $MODEL_DIR/loss-curves.png, $MODEL_DIR/figures.json"
