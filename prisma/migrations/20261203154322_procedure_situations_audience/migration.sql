-- AlterTable
ALTER TABLE "Procedure" ADD COLUMN "audience" TEXT;
ALTER TABLE "Procedure" ADD COLUMN "situations" JSONB;
