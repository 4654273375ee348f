-- AlterTable
ALTER TABLE "Procedure" ADD COLUMN     "audience" TEXT,
ADD COLUMN     "situations" JSONB;
