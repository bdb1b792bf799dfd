#!/usr/bin/python3
# tests/lib/numpy_mvn_check.py: aelab's numpy_svd_sym2 / numpy_multivariate_normal_2d
# (core/aelab/course.hpp) against this machine's numpy over many covariances; prints how many
# agree bit for bit. Not a CI test (it needs numpy and a native build); run it by hand:
#     /usr/bin/python3 tests/lib/numpy_mvn_check.py       (after building aelab_core natively)
import numpy as np, math, os, subprocess, sys, tempfile
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
B = os.path.join(ROOT, 'build', 'native')
tmp = tempfile.mkdtemp()
drv = os.path.join(tmp, 'drv')
subprocess.run(['c++', '-O3', '-march=native', '-std=c++17', '-I' + os.path.join(ROOT, 'core'), '-isystem',
                '/usr/include/eigen3', os.path.join(ROOT, 'tests', 'lib', 'numpy_mvn_driver.cpp'),
                os.path.join(B, 'libaelab_core.a'), os.path.join(B, 'libaelab_assets.a'), '-o', drv], check=True)
rng = np.random.default_rng(12345)
covs = []
for _ in range(4000):
    for k in range(6):
        if k == 0: A = rng.normal(size=(2,2)); C = A@A.T                      # generic PD
        elif k == 1: A = rng.normal(size=(2,1)); C = A@A.T                    # rank 1 (numerically)
        elif k == 2: C = np.diag(rng.uniform(0,5,2))                          # diagonal
        elif k == 3:
            v=rng.uniform(0.01,5); w=rng.uniform(0.01,5); r=-rng.uniform(0,1)   # negative correlation
            C = np.array([[v, r*math.sqrt(v*w)],[r*math.sqrt(v*w), w]])
        elif k == 4:
            v=float(rng.integers(0,6)); w=float(rng.integers(0,6)); c=float(rng.integers(-6,7))*0.5  # typed by hand
            if c*c > v*w: continue
            C = np.array([[v,c],[c,w]])
        else:
            v=rng.uniform(0.1,5); r=1-10**rng.uniform(-16,-6)*(1 if rng.random()<0.5 else -1)   # near-singular
            r = min(r, 1.0) * (1 if rng.random()<0.5 else -1); w=rng.uniform(0.1,5)
            C = np.array([[v, r*math.sqrt(v*w)],[r*math.sqrt(v*w), w]])
            if C[0,1]**2 > v*w: continue
        covs.append((k, float(C[0,0]), float(C[0,1]), float(C[1,1])))
inp = ''.join('%r %r %r\n' % c[1:] for c in covs)
out = subprocess.run([drv], input=inp, capture_output=True, text=True).stdout.split('\n')
names = ['generic', 'rank-1', 'diagonal', 'negative corr', 'hand-typed', 'near-singular']
stats = {}
for c, line in zip(covs, out):
    got = [float(t) for t in line.split()]
    u, s, v = np.linalg.svd(np.array([[c[1], c[2]], [c[2], c[3]]]))
    want = [s[0], s[1], v[0,0], v[0,1], v[1,0], v[1,1]]
    st = stats.setdefault(names[c[0]], [0, 0])
    st[0] += 1; st[1] += got == want
print('SVD: cases per kind (total, bit-identical s and v):', stats)
# multivariate_normal: 300 random (seed, mean, cov), n = 200
lines = []; ref = []
for i in range(300):
    k, a, b, c = covs[rng.integers(len(covs))]
    seed = int(rng.integers(0, 2**32)); m = rng.normal(size=2) * 3; n = 200
    lines.append('%d %r %r %r %r %r %d\n' % (seed, a, b, c, m[0], m[1], n))
    np.random.seed(seed)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        ref.append(np.random.multivariate_normal(m, [[a, b], [b, c]], n).ravel())
out = subprocess.run([drv, 'mvn'], input=''.join(lines), capture_output=True, text=True).stdout.split()
got = np.array([float(t) for t in out]); want = np.concatenate(ref)
print('multivariate_normal: %d values from 300 (seed, mean, cov) draws: %d bit-identical, max |diff| %.3g'
      % (want.size, int((got == want).sum()), float(np.max(np.abs(got - want)))))
import shutil
shutil.rmtree(tmp)
ok = all(v[0] == v[1] for v in stats.values()) and bool((got == want).all())
sys.exit(0 if ok else 1)
