/**
 * MuseTalk 1.5 inference in Java: the exported TorchScript graphs run through DJL's PyTorch engine
 * ({@link ai.lipsync.musetalk.MuseTalkModels}, one {@code NoBatchifyTranslator} per graph from a
 * domain record to a domain record), and the exact audio arithmetic of the reference
 * ({@link ai.lipsync.musetalk.WhisperEncoder}, {@link ai.lipsync.musetalk.AudioWindows},
 * {@link ai.lipsync.musetalk.PositionalEncoding}; the frame cycle is the avatar's, {@code ai.lipsync.avatar.PingPongCycle}).
 *
 * <p>Graphs (B = batch; fp16 exports declare float16 where float32 is written):
 * <ul>
 *   <li>{@code unet}: latents float32[B,8,32,32], audio float32[B,50,384] (before PE) -> float32[B,4,32,32]</li>
 *   <li>{@code vae_decode}: latents float32[B,4,32,32] -> uint8[B,256,256,3] BGR</li>
 *   <li>{@code vae_encode}: crops uint8[B,256,256,3] BGR, half_mask float32[B] -> float32[B,4,32,32]
 *       (posterior mean x 0.18215)</li>
 *   <li>{@code whisper}: samples float32[480000] -> float32[1500,5,384]; {@code whisper_mel}: -> float32[80,3000]</li>
 *   <li>{@code bisenet}: ImageNet-normalised RGB float32[B,3,512,512] -> logits float32[B,19,512,512]</li>
 * </ul>
 * Failures surface as {@link ai.lipsync.musetalk.InferenceException} (kind SHAPE, OOM, MODEL_FILES
 * or FAILED), this layer's own exception; each kind names the session error code
 * ({@link ai.lipsync.session.ErrorCode}) that the pipeline and the avatar preparation report for it.
 */
package ai.lipsync.musetalk;

import ai.lipsync.avatar.PingPongCycle;
