/* Links a weights blob (tinyplan --weights-blob) as the symbol model_weights,
   aligned as model.h's MODEL_WEIGHTS_BLOB_ALIGN asks: assemble with
   -Wa,-I<the blob's directory>. */
  .section .rodata
  .balign 16
  .global model_weights
model_weights:
  .incbin "model_weights.bin"
  .section .note.GNU-stack,"",%progbits
