"""WhisperStackedEncoder calls encoder layers the way either transformers generation expects."""
import pytest
import torch
from torch import nn

from musetalk_models.whisper import WhisperStackedEncoder


class _Layer4x(nn.Module):
    """transformers 4.x WhisperEncoderLayer.forward: head mask required, returns a tuple."""

    def forward(self, hidden_states, attention_mask, layer_head_mask, output_attentions=False):
        assert attention_mask is None and layer_head_mask is None
        return (hidden_states + 1.0,)


class _Layer5x(nn.Module):
    """transformers 5.x WhisperEncoderLayer.forward: no head mask, returns the tensor."""

    def forward(self, hidden_states, attention_mask, **kwargs):
        assert attention_mask is None and not kwargs
        return hidden_states + 1.0


class _Encoder(nn.Module):
    def __init__(self, layer_cls, d=4, layers=2):
        super().__init__()
        self.conv1 = nn.Conv1d(80, d, 3, padding=1)
        self.conv2 = nn.Conv1d(d, d, 3, stride=2, padding=1)
        self.embed_positions = nn.Embedding(1500, d)
        self.layers = nn.ModuleList([layer_cls() for _ in range(layers)])
        self.layer_norm = nn.Identity()


@pytest.mark.parametrize("layer_cls", [_Layer4x, _Layer5x])
@torch.no_grad()
def test_stackedEncoder_withEitherTransformersLayerApi_stacksTensorStates(layer_cls):
    out = WhisperStackedEncoder(_Encoder(layer_cls))(torch.randn(1, 80, 3000))
    assert out.shape == (1, 1500, 3, 4)
    assert torch.allclose(out[:, :, 1] - out[:, :, 0], torch.ones(1, 1500, 4))
    assert torch.allclose(out[:, :, 2] - out[:, :, 1], torch.ones(1, 1500, 4))
