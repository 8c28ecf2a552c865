"""fp16 attention stays finite where unscaled scores would overflow, as diffusers' SDPA / baddbmm does."""
import pytest
import torch
import torch.nn.functional as F

from musetalk_models.export import max_abs_diff
from musetalk_models.layers import attention


def _sdpa_fp32(q, k, v, heads):
    b, n, inner = q.shape
    d = inner // heads

    def split(t):
        return t.float().reshape(b, t.shape[1], heads, d).transpose(1, 2)  # (B, h, L, d)

    out = F.scaled_dot_product_attention(split(q), split(k), split(v))  # scale d**-0.5, as diffusers
    return out.transpose(1, 2).reshape(b, n, inner)


@pytest.mark.parametrize("upcast_softmax", [False, True])
@torch.no_grad()
def test_attention_fp16WithLargeScores_isFiniteAndMatchesSdpaFp32(upcast_softmax):
    g = torch.Generator().manual_seed(0)
    b, n, m, heads, d = 2, 64, 50, 8, 40
    k = torch.randn(b, m, heads * d, generator=g) * 60
    # every query equals one key: q.k ~ 1.4e5 > 65504 (fp16 max) before scaling, ~2.3e4 after, and the
    # matching key wins by thousands, so the fp32 reference is a clean one-hot that fp16 can reproduce
    q = k[:, torch.randint(0, m, (n,), generator=g)]
    v = torch.randn(b, m, heads * d, generator=g)
    q, k, v = q.half(), k.half(), v.half()
    qh = q.reshape(b, n, heads, d).transpose(1, 2)
    kh = k.reshape(b, m, heads, d).permute(0, 2, 3, 1)
    assert torch.isinf(torch.matmul(qh, kh)).any()  # the unscaled product does overflow in fp16

    out = attention(q, k, v, heads, upcast_softmax=upcast_softmax)

    assert out.dtype == torch.float16
    assert torch.isfinite(out).all()
    assert max_abs_diff(out, _sdpa_fp32(q, k, v, heads)) <= 1e-2


@torch.no_grad()
def test_attention_fp32RandomInputs_matchesSdpa():
    g = torch.Generator().manual_seed(1)
    q, k, v = (torch.randn(2, n, 8 * 16, generator=g) for n in (30, 20, 20))
    assert max_abs_diff(attention(q, k, v, 8), _sdpa_fp32(q, k, v, 8)) <= 1e-5
