#!/usr/bin/env bash
# Retrains the heads HybridAI ships in services/SlmInference/heads/ (docs/signals.md explains each choice).
# Data: the project's own files in tools/Cli/TrainingData and the public sets read in place from ../shared/datasets.
# Deterministic for the seed; takes a few minutes on 2 cores (embeddings are cached under ~/.cache/hybridai).
set -euo pipefail
cd "$(dirname "$0")/.."
datasets=${HYBRIDAI_DATASETS:-../shared/datasets}
heads=services/SlmInference/heads
seed=${SEED:-42}
mkdir -p "$heads"
dotnet build -c Release tools/Cli >/dev/null
hybridai() { dotnet run -c Release --no-build --project tools/Cli -- "$@"; }
# Heads to retrain (default all): HEADS="guard" tools/train-default-heads.sh
only=" ${HEADS:-intent needs-llm guard} "
wanted() { [[ "$only" == *" $1 "* ]]; }

if wanted intent; then
  hybridai train intent --data tools/Cli/TrainingData/enterprise-intents.csv \
    --out "$heads/intent.head.json" --unknown-below 0.35 --seed "$seed"
fi

if wanted needs-llm; then
  hybridai train needs-llm --data "$datasets/routing/mmlu_routing_labels.jsonl" \
    --out "$heads/needs-llm.head.json" --seed "$seed"
fi

# The guard's 0.5 point is shifted to 0.5% false positives on its hold-out (--operating-fpr), the router's threshold.
if wanted guard; then
  hybridai train guard \
    --positives "$datasets/guard/jbb_pair_jbc_prompts.jsonl" "$datasets/guard/giskard_prompt_injections.csv" \
                tools/Cli/TrainingData/guard-injections.csv \
    --negatives "$datasets/intent/banking77/train.csv" "$datasets/routing/mmlu_routing_labels.jsonl" \
                tools/Cli/TrainingData/guard-benign-hard.csv tools/Cli/TrainingData/enterprise-intents.csv \
    --out "$heads/guard.head.json" --operating-fpr 0.005 --seed "$seed"
fi
