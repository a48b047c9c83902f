"""Learn the document-type weights (data/doctype_model.yaml) from labelled texts: a multinomial
logistic regression over the cue features of dudao.classify, in plain Python (a few hundred
short texts and ~70 features need no numerical library)."""
from __future__ import annotations

import math

from dudao.classify import features, predict


def train(samples: list[tuple[str, str]], l2: float = 0.02, epochs: int = 400, rate: float = 0.5) -> dict:
    """samples: (text, label). A label is a doc_type or "doc_type/kind" for a genre that is many
    kinds of text (other/speech, other/congress …): each kind gets its own weights. The doc_types
    are weighted equally whatever their counts."""
    data = [(features(text)[0], t) for text, t in samples]
    labels = sorted({y for _, y in data})
    top = {y: y.split("/")[0] for y in labels}
    per_type = {t: sum(1 for _, y in data if top[y] == t) for t in set(top.values())}
    cw = {y: len(data) / (len(per_type) * per_type[top[y]]) for y in labels}
    names = sorted({f for x, _ in data for f in x})
    w = {f: {t: 0.0 for t in labels} for f in names}
    b = {t: 0.0 for t in labels}
    # Adagrad: rare cues still move although they fire in few texts.
    gw = {f: {t: 1e-8 for t in labels} for f in names}
    gb = {t: 1e-8 for t in labels}
    n = len(data)
    for _ in range(epochs):
        dw = {f: {t: l2 * w[f][t] for t in labels} for f in names}
        db = {t: 0.0 for t in labels}
        model = {"bias": b, "weights": w}
        for x, y in data:
            p = predict(x, model)
            for t in labels:
                err = (p[t] - (1.0 if t == y else 0.0)) * cw[y] / n
                db[t] += err
                for f, v in x.items():
                    dw[f][t] += err * v
        for t in labels:
            gb[t] += db[t] ** 2
            b[t] -= rate * db[t] / math.sqrt(gb[t])
            for f in names:
                gw[f][t] += dw[f][t] ** 2
                w[f][t] -= rate * dw[f][t] / math.sqrt(gw[f][t])
    return {"bias": {t: round(v, 4) for t, v in b.items()},
            "weights": {f: {t: round(v, 4) for t, v in ws.items() if abs(v) >= 1e-3} for f, ws in w.items()}}
