#!/usr/bin/env bash
# Renders the kiosk's voice prompts (guide clause 4.1.4) to public/prompts/<lang>/<kind>.ogg and writes
# public/prompts/manifest.json. The texts come from src/prompts/promptTexts.ts (single source of truth).
#
# Usage: npm run prompts        (or: bash scripts/generate-prompts.sh)
# Needs: espeak-ng, ffmpeg + ffprobe (with libopus, else libvorbis), node with the repo's devDependencies.
#
# Chromium on Debian has no speechSynthesis voices, so the kiosk plays these files instead. The output
# is deterministic for a given espeak-ng/ffmpeg/libopus version (bit-exact Ogg muxing, no metadata, no
# timestamps), so re-running without text changes leaves git clean. See docs/prompts.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT_DIR="$ROOT/public/prompts"

# espeak-ng voices. Note: in espeak-ng 1.51 (Debian 12) the plain `cmn` voice reads Chinese characters as
# pinyin spelled out in English ("nin two ..."; espeak-ng issue #1236); `cmn-latn-pinyin` speaks them as
# Mandarin. Override with PROMPT_VOICE_ZH / PROMPT_VOICE_EN if a later espeak-ng fixes that.
VOICE_ZH="${PROMPT_VOICE_ZH:-cmn-latn-pinyin}"
VOICE_EN="${PROMPT_VOICE_EN:-en-us}"
SPEED_ZH="${PROMPT_SPEED_ZH:-170}" # words per minute (about syllables for Mandarin); espeak-ng's default is 175
SPEED_EN="${PROMPT_SPEED_EN:-150}"
SAMPLE_RATE=24000
OPUS_BITRATE=24k
PEAK_DB=-1.0    # peak-normalise every prompt to this level so they all play equally loud
MIN_MEAN_DB=-40 # a decoded prompt whose mean volume is below this is treated as silent (failure)

die() {
  echo "generate-prompts: $*" >&2
  exit 1
}

need() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' is not installed. $2"
}

need espeak-ng "Install it with: sudo apt-get install espeak-ng"
need ffmpeg "Install it with: sudo apt-get install ffmpeg"
need ffprobe "It comes with ffmpeg: sudo apt-get install ffmpeg"
need node "Install Node.js >= 20.19."
[[ -d "$ROOT/node_modules/tsx" ]] || die "tsx is missing; run 'npm ci' in $ROOT first."

for v in "$VOICE_ZH" "$VOICE_EN"; do
  espeak-ng --voices | awk 'NR > 1 { print $2; print $5 }' | grep -qxF -- "$v" ||
    espeak-ng --voices | awk 'NR > 1 { print $4 }' | grep -qxF -- "$v" ||
    die "espeak-ng has no voice '$v' (see: espeak-ng --voices)."
done

ENCODERS="$(ffmpeg -nostdin -hide_banner -encoders 2>/dev/null)"
if grep -qE '^ *A[^ ]* +libopus ' <<<"$ENCODERS"; then
  CODEC=opus
  ENC_ARGS=(-c:a libopus -b:a "$OPUS_BITRATE" -vbr on -application voip -frame_duration 20)
elif grep -qE '^ *A[^ ]* +libvorbis ' <<<"$ENCODERS"; then
  CODEC=vorbis
  echo "generate-prompts: ffmpeg has no libopus, falling back to Vorbis" >&2
  ENC_ARGS=(-c:a libvorbis -q:a 0)
else
  die "ffmpeg has neither libopus nor libvorbis (check: ffmpeg -encoders | grep -E 'opus|vorbis')."
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/prompts.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
STAGE="$WORK/prompts"
mkdir -p "$STAGE"

TEXTS="$WORK/texts.tsv"
(cd "$ROOT" && node --import tsx scripts/print-prompt-texts.ts) >"$TEXTS" ||
  die "could not read the texts from src/prompts/promptTexts.ts"
[[ -s "$TEXTS" ]] || die "src/prompts/promptTexts.ts produced no texts"

# Volume statistic (dB) from ffmpeg's volumedetect: $1 = file, $2 = mean_volume | max_volume.
volume_db() {
  ffmpeg -nostdin -hide_banner -nostats -i "$1" -af volumedetect -f null - 2>&1 |
    sed -n "s/.*$2: \(-\{0,1\}[0-9.]*\|-inf\) dB.*/\1/p" | tail -n 1
}

ROWS="$WORK/rows.tsv"
: >"$ROWS"
while IFS=$'\t' read -r kind lang text; do
  case "$lang" in
    zh-CN) voice="$VOICE_ZH" speed="$SPEED_ZH" ;;
    en) voice="$VOICE_EN" speed="$SPEED_EN" ;;
    *) die "no espeak-ng voice configured for language '$lang'" ;;
  esac
  [[ "$kind" =~ ^[A-Za-z0-9]+$ ]] || die "prompt kind '$kind' is not a plain identifier"

  # Guard against the cmn bug above: a Chinese prompt must not switch to the English phoneme set.
  phonemes="$(espeak-ng -q -x -v "$voice" -- "$text")"
  if [[ "$lang" == zh-CN && "$phonemes" == *"(en)"* ]]; then
    die "voice '$voice' reads $kind/$lang as English ($phonemes); use PROMPT_VOICE_ZH=cmn-latn-pinyin"
  fi

  mkdir -p "$STAGE/$lang"
  raw="$WORK/$lang-$kind.raw.wav"
  trimmed="$WORK/$lang-$kind.wav"
  out="$STAGE/$lang/$kind.ogg"

  espeak-ng -v "$voice" -s "$speed" -w "$raw" -- "$text"

  # Mono, resampled, leading/trailing silence cut to a short fixed pad (espeak adds ~0.3-0.5 s).
  ffmpeg -nostdin -hide_banner -loglevel error -y -i "$raw" \
    -af "silenceremove=start_periods=1:start_threshold=-50dB,areverse,silenceremove=start_periods=1:start_threshold=-50dB,areverse,adelay=60:all=1,apad=pad_dur=0.2,aresample=$SAMPLE_RATE" \
    -ac 1 -ar "$SAMPLE_RATE" -c:a pcm_s16le -fflags +bitexact -flags:a +bitexact "$trimmed"

  peak="$(volume_db "$trimmed" max_volume)"
  [[ -n "$peak" && "$peak" != "-inf" ]] || die "espeak-ng produced silence for $kind/$lang"
  gain="$(awk -v p="$peak" -v t="$PEAK_DB" 'BEGIN { printf "%.1f", t - p }')"

  ffmpeg -nostdin -hide_banner -loglevel error -y -i "$trimmed" -af "volume=${gain}dB" \
    -ac 1 -ar "$SAMPLE_RATE" "${ENC_ARGS[@]}" \
    -map_metadata -1 -fflags +bitexact -flags:a +bitexact "$out"

  got_codec="$(ffprobe -v error -select_streams a:0 -show_entries stream=codec_name -of default=nw=1:nk=1 "$out")"
  [[ "$got_codec" == "$CODEC" ]] || die "$out has codec '$got_codec', expected '$CODEC'"
  duration_s="$(ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$out")"
  duration_ms="$(awk -v d="$duration_s" 'BEGIN { printf "%d", d * 1000 + 0.5 }')"
  ((duration_ms > 300)) || die "$out is only ${duration_ms} ms long"
  mean="$(volume_db "$out" mean_volume)"
  awk -v m="$mean" -v min="$MIN_MEAN_DB" 'BEGIN { exit !(m != "-inf" && m + 0 > min + 0) }' ||
    die "$out decodes to near-silence (mean volume ${mean} dB)"
  bytes="$(wc -c <"$out" | tr -d ' ')"

  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$lang" "$lang/$kind.ogg" "$voice" "$duration_ms" "$bytes" "$text" >>"$ROWS"
  printf '  %-8s %-22s %6s ms %7s bytes\n' "$lang" "$kind" "$duration_ms" "$bytes"
done <"$TEXTS" # (ffmpeg runs with -nostdin so it cannot eat this loop's input)

ESPEAK_VERSION="$(espeak-ng --version | sed -n 's/.*text-to-speech: \([^ ]*\).*/\1/p')"
CODEC="$CODEC" SAMPLE_RATE="$SAMPLE_RATE" ESPEAK_VERSION="$ESPEAK_VERSION" \
  node -e '
    const fs = require("node:fs");
    const prompts = fs.readFileSync(process.argv[1], "utf8").trim().split("\n").map((line) => {
      const [kind, lang, file, voice, durationMs, bytes, ...text] = line.split("\t");
      return { kind, lang, file, text: text.join("\t"), voice, durationMs: Number(durationMs), bytes: Number(bytes) };
    });
    const manifest = {
      generatedBy: "scripts/generate-prompts.sh",
      source: "src/prompts/promptTexts.ts",
      engine: `espeak-ng ${process.env.ESPEAK_VERSION}`,
      codec: process.env.CODEC,
      container: "ogg",
      sampleRate: Number(process.env.SAMPLE_RATE),
      channels: 1,
      prompts,
    };
    fs.writeFileSync(process.argv[2], JSON.stringify(manifest, null, 2) + "\n");
  ' "$ROWS" "$STAGE/manifest.json"

# Swap the finished set in only now, so a failed run never leaves a half-written public/prompts.
mkdir -p "$OUT_DIR"
for lang_dir in "$STAGE"/*/; do
  lang="$(basename "$lang_dir")"
  rm -rf "${OUT_DIR:?}/$lang"
  cp -R "$lang_dir" "$OUT_DIR/$lang"
done
cp "$STAGE/manifest.json" "$OUT_DIR/manifest.json"

total="$(cat "$OUT_DIR"/*/*.ogg | wc -c | tr -d ' ')"
echo "generate-prompts: wrote $(wc -l <"$ROWS" | tr -d ' ') prompts ($CODEC, ${total} bytes in all) to public/prompts"
