"""Test vectors for libs/core/src/audio/features (STFT, mel filterbank, log-mel).

Run with Debian's interpreter (torch 1.13 + torchaudio 0.13 + numpy):

    /usr/bin/python3 tools/reference/audio_features_fixtures.py

librosa is not installed here, so every quantity is computed twice: once with torchaudio and once
with a plain-numpy transcription of librosa's definitions (filters.mel, stft, feature.melspectrogram,
power_to_db). The script asserts that the two agree before it writes anything, and records the
librosa-definition values. Everything runs in float64 (torch's default dtype is switched) so the
references carry no float32 round-off of their own; only the stored arrays are float32.

Known difference handled here: torchaudio's AmplitudeToDB clamps top_db per batch item for 4-D
input, librosa.power_to_db against the maximum of the whole array. For one 2-D spectrogram the
two agree, which the script checks; the dB values are written from the librosa formula, including
ref=np.max, which AmplitudeToDB has no counterpart for (its reference is a fixed number).

Inputs are stored as 16-bit PCM (exact in float32 after /32768) to keep the fixtures small.
"""

import base64
import json
import math
import os

import numpy as np
import torch
import torchaudio

torch.set_default_dtype(torch.float64)

OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "libs", "core", "src", "audio", "features", "fixtures"
)


def b64_f32(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode("ascii")


def b64_i16(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<i2").tobytes()).decode("ascii")


# ---------------------------------------------------------------- signals (quantised to int16)
def quantise(x):
    return np.clip(np.round(x * 32768.0), -32768, 32767).astype(np.int16)


def make_signals():
    sig = {}
    sr = 16000
    t = np.arange(int(0.5 * sr)) / sr
    f0, f1, dur = 100.0, 7000.0, 0.5
    k = math.log(f1 / f0) / dur
    chirp = 0.5 * np.sin(2 * math.pi * f0 * (np.exp(k * t) - 1) / k)
    # 0.1 s of digital silence: frames there fall below max - top_db, so the clamp is exercised.
    chirp = np.concatenate([chirp, np.zeros(int(0.1 * sr))])
    sig["chirp16k"] = (sr, quantise(chirp))

    rng = np.random.default_rng(1234)
    sig["noise16k"] = (sr, quantise(0.1 * rng.standard_normal(int(0.5 * sr))))

    sr = 44100
    t = np.arange(int(0.5 * sr)) / sr
    tones = 0.3 * np.sin(2 * math.pi * 440 * t) + 0.1 * np.sin(2 * math.pi * 3000 * t + 0.3)
    tones += 0.01 * np.sin(2 * math.pi * 12000 * t + 1.1) + 0.001 * rng.standard_normal(t.size)
    sig["tones44k"] = (sr, quantise(tones))
    return sig


def as_float(pcm):
    return pcm.astype(np.float64) / 32768.0


# ---------------------------------------------------------------- librosa definitions in numpy
def hz_to_mel(f, htk):
    f = np.asarray(f, dtype=np.float64)
    if htk:
        return 2595.0 * np.log10(1.0 + f / 700.0)
    f_sp = 200.0 / 3
    mels = f / f_sp
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, min_log_hz) / min_log_hz) / logstep, mels)


def mel_to_hz(m, htk):
    m = np.asarray(m, dtype=np.float64)
    if htk:
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    f_sp = 200.0 / 3
    freqs = f_sp * m
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = np.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), freqs)


def np_mel(sr, n_fft, n_mels, fmin, fmax, htk, norm):
    fftfreqs = np.fft.rfftfreq(n=n_fft, d=1.0 / sr)
    mel_pts = np.linspace(hz_to_mel(fmin, htk), hz_to_mel(fmax, htk), n_mels + 2)
    mel_f = mel_to_hz(mel_pts, htk)
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fftfreqs[None, :]
    w = np.zeros((n_mels, fftfreqs.size))
    for i in range(n_mels):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        w[i] = np.maximum(0, np.minimum(lower, upper))
    if norm == "slaney":
        w *= (2.0 / (mel_f[2 : n_mels + 2] - mel_f[:n_mels]))[:, None]
    return w


def np_stft_power(x, n_fft, hop, win, center, pad_mode, power):
    n = np.arange(win)
    window = 0.5 - 0.5 * np.cos(2 * math.pi * n / win)  # periodic Hann (fftbins=True)
    lpad = (n_fft - win) // 2
    window = np.pad(window, (lpad, n_fft - win - lpad))
    if center:
        x = np.pad(x, n_fft // 2, mode=pad_mode)
    frames = 1 + (x.size - n_fft) // hop
    idx = np.arange(n_fft)[None, :] + hop * np.arange(frames)[:, None]
    spec = np.fft.rfft(x[idx] * window[None, :], axis=1).T
    return np.abs(spec) ** power


def np_power_to_db(s, ref, amin, top_db):
    mag = np.abs(s)
    ref_value = np.max(mag) if ref == "max" else ref
    db = 10.0 * np.log10(np.maximum(amin, mag)) - 10.0 * np.log10(np.maximum(amin, ref_value))
    if top_db is not None:
        db = np.maximum(db, db.max() - top_db)
    return db


# ---------------------------------------------------------------- torchaudio side
def ta_fb(c):
    fmax = c["fmax"] if c["fmax"] is not None else c["sampleRate"] / 2
    fb = torchaudio.functional.melscale_fbanks(
        n_freqs=c["nFft"] // 2 + 1,
        f_min=c["fmin"],
        f_max=fmax,
        n_mels=c["nMels"],
        sample_rate=c["sampleRate"],
        norm=c["norm"],
        mel_scale=c["melScale"],
    )
    return fb.T.numpy()  # torchaudio is (n_freqs, n_mels); librosa and ours are (n_mels, n_freqs)


def ta_spec(x, c):
    t = torchaudio.transforms.Spectrogram(
        n_fft=c["nFft"],
        win_length=c["winLength"],
        hop_length=c["hop"],
        power=c["power"],
        center=c["center"],
        pad_mode=c["padMode"],
    )
    return t(torch.from_numpy(x)).numpy()


def ta_melspec(x, c):
    fmax = c["fmax"] if c["fmax"] is not None else c["sampleRate"] / 2
    t = torchaudio.transforms.MelSpectrogram(
        sample_rate=c["sampleRate"],
        n_fft=c["nFft"],
        win_length=c["winLength"],
        hop_length=c["hop"],
        f_min=c["fmin"],
        f_max=fmax,
        n_mels=c["nMels"],
        power=c["power"],
        center=c["center"],
        pad_mode=c["padMode"],
        norm=c["norm"],
        mel_scale=c["melScale"],
    )
    return t(torch.from_numpy(x)).numpy()


def check(name, a, b, tol):
    err = float(np.max(np.abs(a - b)))
    scale = float(np.max(np.abs(b)))
    print(f"  {name}: shape {a.shape}, max |torchaudio - numpy| = {err:.3e} (max |value| {scale:.3e})")
    assert err <= tol, f"{name}: torchaudio and the librosa definition disagree by {err}"


def main():
    os.makedirs(OUT, exist_ok=True)
    signals = make_signals()

    # Inputs
    doc = {
        "about": "Inputs for the feature fixtures: 16-bit PCM, sample = int16 / 32768.",
        "signals": {k: {"sampleRate": sr, "pcm16": b64_i16(v), "length": int(v.size)} for k, (sr, v) in signals.items()},
    }
    write("signals.json", doc)

    # Filterbanks
    print("filterbanks")
    fbs = []
    for name, c in [
        ("slaney16k", dict(sampleRate=16000, nFft=400, nMels=40, fmin=20.0, fmax=7600.0, norm="slaney", melScale="slaney")),
        ("htk44k", dict(sampleRate=44100, nFft=512, nMels=32, fmin=0.0, fmax=None, norm=None, melScale="htk")),
    ]:
        fmax = c["fmax"] if c["fmax"] is not None else c["sampleRate"] / 2
        ref = np_mel(c["sampleRate"], c["nFft"], c["nMels"], c["fmin"], fmax, c["melScale"] == "htk", c["norm"])
        check(name, ta_fb(c), ref, 1e-9)
        fbs.append({"name": name, "config": c, "shape": list(ref.shape), "data": b64_f32(ref)})
    write("filterbanks.json", {"about": "librosa.filters.mel definition, (n_mels, 1 + n_fft // 2).", "cases": fbs})

    # Power / magnitude spectrograms
    print("spectrograms")
    specs = []
    for name, sig, length, c in [
        ("chirp-reflect-400", "chirp16k", None, dict(nFft=400, hop=320, winLength=400, center=True, padMode="reflect", power=2.0)),
        ("noise-constant-win200-mag", "noise16k", 4000, dict(nFft=256, hop=128, winLength=200, center=True, padMode="constant", power=1.0)),
        ("tones-nocenter-1024", "tones44k", 4096, dict(nFft=1024, hop=512, winLength=1024, center=False, padMode="constant", power=2.0)),
    ]:
        x = as_float(signals[sig][1])
        if length is not None:
            x = x[:length]
        ref = np_stft_power(x, c["nFft"], c["hop"], c["winLength"], c["center"], c["padMode"], c["power"])
        check(name, ta_spec(x, c), ref, 1e-9 * max(1.0, float(ref.max())))
        specs.append({"name": name, "signal": sig, "length": length, "config": c, "shape": list(ref.shape), "data": b64_f32(ref)})
    write("spectrograms.json", {"about": "|STFT|^power with a periodic Hann window, (1 + n_fft // 2, frames).", "cases": specs})

    # Log-mel
    print("log-mel")
    logs = []
    cases = [
        # Paper-like: 44.1 kHz, 128 mels, librosa defaults otherwise, ref=max and db / 80 + 1.
        ("paper-tones44k", "tones44k", dict(sampleRate=44100, nFft=2048, hop=512, winLength=2048, nMels=128, fmin=0.0, fmax=None,
                                            center=True, padMode="constant", power=2.0, norm="slaney", melScale="slaney",
                                            ref="max", topDb=80.0, normalise=True)),
        ("htk-chirp16k", "chirp16k", dict(sampleRate=16000, nFft=512, hop=160, winLength=400, nMels=64, fmin=50.0, fmax=7000.0,
                                          center=True, padMode="reflect", power=2.0, norm=None, melScale="htk",
                                          ref=1.0, topDb=80.0, normalise=False)),
        ("magnitude-noise16k", "noise16k", dict(sampleRate=16000, nFft=400, hop=200, winLength=400, nMels=40, fmin=0.0, fmax=8000.0,
                                                center=False, padMode="constant", power=1.0, norm="slaney", melScale="slaney",
                                                ref=1.0, topDb=None, normalise=False)),
    ]
    amin = 1e-10
    for name, sig, c in cases:
        sr, pcm = signals[sig]
        assert sr == c["sampleRate"]
        x = as_float(pcm)
        fmax = c["fmax"] if c["fmax"] is not None else sr / 2
        fb = np_mel(sr, c["nFft"], c["nMels"], c["fmin"], fmax, c["melScale"] == "htk", c["norm"])
        mel = fb @ np_stft_power(x, c["nFft"], c["hop"], c["winLength"], c["center"], c["padMode"], c["power"])
        check(name + " mel", ta_melspec(x, c), mel, 1e-9 * max(1.0, float(mel.max())))
        db = np_power_to_db(mel, c["ref"], amin, c["topDb"])
        if c["ref"] != "max":
            to_db = torchaudio.transforms.AmplitudeToDB(stype="power", top_db=c["topDb"])
            to_db.amin = amin
            to_db.ref_value = c["ref"]
            to_db.db_multiplier = math.log10(max(amin, c["ref"]))
            check(name + " dB", to_db(torch.from_numpy(mel)).numpy(), db, 1e-9)
        clamped = int(np.sum(db <= db.max() - (c["topDb"] or 1e9) + 1e-9))
        print(f"  {name}: dB range [{db.min():.2f}, {db.max():.2f}], {clamped} values at the top_db floor")
        out = db / 80.0 + 1.0 if c["normalise"] else db
        logs.append({"name": name, "signal": sig, "config": c, "shape": list(out.shape), "data": b64_f32(out)})
    write("log-mel.json", {"about": "power_to_db(mel(|STFT|^power)), amin 1e-10; normalise: db / 80 + 1.", "cases": logs})

    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"total fixture size {total / 1024:.1f} KiB")


def write(name, doc):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.relpath(path)} ({os.path.getsize(path) / 1024:.1f} KiB)")


if __name__ == "__main__":
    main()
